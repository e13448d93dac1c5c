// Assembles NASM source into flat binary for tests with the project's own assembler. Every test
// goes through this one function.
import { formatDiagnostic } from '../../tools/asm/diagnostics.ts';
import { assembleSource } from '../../tools/asm/toolchain.ts';

/** Options for `asm`: the `bits` directive (default 32) and the `org` (default 0). */
export interface AsmOptions {
  bits?: 16 | 32 | 64;
  org?: number;
}

/** Assembles `source` as a flat binary; throws with NASM-style messages when it does not assemble. */
export function asm(source: string, opts: AsmOptions = {}): Uint8Array {
  const bits = opts.bits ?? 32;
  const org = opts.org ?? 0;
  const result = assembleSource(`bits ${bits}\norg ${org}\n${source}\n`, 'test.asm', { format: 'bin' });
  if (!result.ok || !result.output) {
    const messages = result.diagnostics.map(formatDiagnostic).join('\n');
    throw new Error(`assembly failed:\n${messages}\n--- source ---\n${source}`);
  }
  return result.output;
}
