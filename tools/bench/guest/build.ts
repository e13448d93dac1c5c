// Builds the benchmark guests with the project's assembler.
import { assemblePath } from '../../asm/toolchain.ts';
import { formatDiagnostic } from '../../asm/diagnostics.ts';

/** An assembled guest: its flat binary and the addresses of its labels. */
export interface Guest {
  image: Uint8Array;
  address(label: string): number;
}

/** The guest `name` (tools/bench/guest/NAME.asm); throws with NASM-style messages. */
export function buildGuest(name: string): Guest {
  const result = assemblePath(`tools/bench/guest/${name}.asm`, { format: 'bin', includePaths: ['tools/bench/guest/'] });
  if (!result.ok || !result.output) throw new Error(result.diagnostics.map(formatDiagnostic).join('\n'));
  const symbols = result.symbols;
  return {
    image: result.output,
    address: (label) => {
      const symbol = symbols.find((s) => s.name === label);
      if (!symbol) throw new Error(`guest ${name} has no label ${label}`);
      return Number(symbol.value);
    },
  };
}
