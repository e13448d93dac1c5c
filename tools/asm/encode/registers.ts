// The registers the encoder knows, by NASM name: class, encoding number and REX constraints.

export type RegClass = 'gpr8' | 'gpr16' | 'gpr32' | 'gpr64' | 'sreg' | 'cr' | 'dr';

export interface RegInfo {
  name: string;
  cls: RegClass;
  /** Encoding number 0..15 (bit 3 goes into a REX bit). */
  num: number;
  /** Width in bits for general-purpose registers, 16 for segment registers, 0 otherwise. */
  size: number;
  /** spl/bpl/sil/dil: only addressable with a REX prefix. */
  needsRex: boolean;
  /** ah/ch/dh/bh: not addressable when a REX prefix is present. */
  highByte: boolean;
}

const table = new Map<string, RegInfo>();

function add(name: string, cls: RegClass, num: number, size: number, needsRex = false, highByte = false): void {
  table.set(name, { name, cls, num, size, needsRex, highByte });
}

const legacy16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
legacy16.forEach((r, i) => {
  add(r, 'gpr16', i, 16);
  add(`e${r}`, 'gpr32', i, 32);
  add(`r${r}`, 'gpr64', i, 64);
});
['al', 'cl', 'dl', 'bl'].forEach((r, i) => add(r, 'gpr8', i, 8));
['ah', 'ch', 'dh', 'bh'].forEach((r, i) => add(r, 'gpr8', i + 4, 8, false, true));
['spl', 'bpl', 'sil', 'dil'].forEach((r, i) => add(r, 'gpr8', i + 4, 8, true));
for (let i = 8; i < 16; i++) {
  add(`r${i}`, 'gpr64', i, 64);
  add(`r${i}d`, 'gpr32', i, 32);
  add(`r${i}w`, 'gpr16', i, 16);
  add(`r${i}b`, 'gpr8', i, 8);
}
['es', 'cs', 'ss', 'ds', 'fs', 'gs'].forEach((r, i) => add(r, 'sreg', i, 16));
for (const i of [0, 2, 3, 4, 8]) add(`cr${i}`, 'cr', i, 0);
for (let i = 0; i < 8; i++) add(`dr${i}`, 'dr', i, 0);

/** The register named `name` (lower case), or undefined when it is not one the encoder handles. */
export function registerInfo(name: string): RegInfo | undefined {
  return table.get(name);
}

/** Segment-override prefix byte of each segment register. */
export const SEGMENT_PREFIX: ReadonlyMap<string, number> = new Map([['es', 0x26], ['cs', 0x2e], ['ss', 0x36], ['ds', 0x3e], ['fs', 0x64], ['gs', 0x65]]);
