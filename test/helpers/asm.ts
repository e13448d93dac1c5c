// Assembles NASM source into flat binary for tests. Every test goes through this one function,
// so the assembler behind it can be swapped without touching the tests.
import { realNasm } from './real-nasm.ts';

/** Options for `asm`: the `bits` directive (default 32) and the `org` (default 0). */
export interface AsmOptions {
  bits?: 16 | 32;
  org?: number;
}

/** Assembles `source` as a flat binary; throws with NASM's messages when it does not assemble. */
export function asm(source: string, opts: AsmOptions = {}): Uint8Array {
  const bits = opts.bits ?? 32;
  const org = opts.org ?? 0;
  const result = realNasm(`bits ${bits}\norg ${org}\n${source}\n`, 'bin');
  if (!result.ok) throw new Error(`assembly failed:\n${result.messages}\n--- source ---\n${source}`);
  return result.bytes;
}
