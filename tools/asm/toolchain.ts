// The assembler with this project's instruction encoder and ELF writer plugged in: what the
// build, the generators, the benchmarks and the tests call (tools/nasm wires the same two).
import { writeElfObject } from '../elf/write-object.ts';
import { assemble, assembleFile, type AssembleOptions, type AssembleResult } from './assemble.ts';
import { encodeInstruction } from './encode/index.ts';

/** Everything `assemble` takes except the back ends, which are always this project's. */
export type ToolchainOptions = Omit<AssembleOptions, 'encoder' | 'writeObject'>;

/** Assembles source text named `fileName`; never throws for bad input. */
export function assembleSource(source: string, fileName: string, options: ToolchainOptions = {}): AssembleResult {
  return assemble(source, fileName, { ...options, encoder: encodeInstruction, writeObject: writeElfObject });
}

/** Assembles the file at `path`; never throws for bad input. */
export function assemblePath(path: string, options: ToolchainOptions = {}): AssembleResult {
  return assembleFile(path, { ...options, encoder: encodeInstruction, writeObject: writeElfObject });
}
