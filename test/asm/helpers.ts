// Shared helpers for the assembler tests: assemble a snippet in memory, show bytes as hex.
import { assemble, type AssembleOptions, type AssembleResult } from '../../tools/asm/assemble.ts';
import { formatDiagnostic } from '../../tools/asm/diagnostics.ts';
import { memoryFiles } from '../../tools/asm/files.ts';
import { encodeInstruction } from '../../tools/asm/encode/index.ts';
import { writeElfObject } from '../../tools/elf/write-object.ts';

export interface SnippetOptions extends Partial<AssembleOptions> {
  /** Extra files by path, visible to %include and INCBIN. */
  extraFiles?: Record<string, string | Uint8Array>;
}

/** Assembles `source` as the file `test.asm`. */
export function asm(source: string, options: SnippetOptions = {}): AssembleResult {
  const { extraFiles, ...rest } = options;
  return assemble(source, 'test.asm', {
    encoder: encodeInstruction,
    writeObject: writeElfObject,
    files: memoryFiles({ 'test.asm': source, ...(extraFiles ?? {}) }),
    ...rest,
  });
}

/** Lower-case hex of the output, or the diagnostics when there is none (so a failure shows why). */
export function hexOf(result: AssembleResult): string {
  if (!result.output) return `no output: ${messages(result).join(' | ')}`;
  return Buffer.from(result.output).toString('hex');
}

/** The diagnostics as NASM prints them. */
export function messages(result: AssembleResult): string[] {
  return result.diagnostics.map(formatDiagnostic);
}
