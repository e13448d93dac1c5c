// Builds the benchmark guests with the project's assembler.
import { assembleFile } from '../../asm/assemble.ts';
import { formatDiagnostic } from '../../asm/diagnostics.ts';
import { encodeInstruction } from '../../asm/encode/index.ts';

/** The flat binary of the guest `name` (tools/bench/guest/NAME.asm); throws with NASM-style messages. */
export function buildGuest(name: string): Uint8Array {
  const result = assembleFile(`tools/bench/guest/${name}.asm`, { format: 'bin', encoder: encodeInstruction, includePaths: ['tools/bench/guest/'] });
  if (!result.ok || !result.output) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  return result.output;
}
