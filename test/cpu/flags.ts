// Reads EFLAGS of a test CPU as named booleans, so assertions say which flag is meant.
import type { Cpu } from '../../machine/cpu/cpu.ts';

export interface Flags {
  cf: boolean;
  pf: boolean;
  af: boolean;
  zf: boolean;
  sf: boolean;
  of: boolean;
}

/** The six arithmetic flags of `cpu`. */
export function flags(cpu: Cpu): Flags {
  const f = cpu.getEflags();
  return { cf: !!(f & 1), pf: !!(f & 4), af: !!(f & 0x10), zf: !!(f & 0x40), sf: !!(f & 0x80), of: !!(f & 0x800) };
}

/** Arithmetic flags from a compact spec such as "CZ" (set) — every other flag expected clear. */
export function only(spec: string): Flags {
  return { cf: spec.includes('C'), pf: spec.includes('P'), af: spec.includes('A'), zf: spec.includes('Z'), sf: spec.includes('S'), of: spec.includes('O') };
}
