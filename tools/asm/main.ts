// Entry point of `tools/nasm`: the command line wired to the instruction encoder and the ELF writer.
import { main } from './cli.ts';
import { encodeInstruction } from './encode/index.ts';
import { writeElfObject } from '../elf/write-object.ts';

try {
  process.exitCode = main(process.argv.slice(2), { encoder: encodeInstruction, writeObject: writeElfObject });
} catch (e) {
  // A failure of the assembler itself: one line, never a stack trace.
  process.stderr.write(`nasm: fatal: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
