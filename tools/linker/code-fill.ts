// Padding between input sections of code, as GNU ld writes it: for i386, 2-byte `xchg ax, ax`
// NOPs (66 90) and a final 1-byte NOP, which every IA-32 processor decodes; for x86-64, the
// multi-byte NOPs Intel recommends (0F 1F /0 forms, up to 10 bytes with a CS prefix).

/** NOP instructions of 1 to 10 bytes, index = length - 1. */
const NOPS: readonly (readonly number[])[] = [
  [0x90],
  [0x66, 0x90],
  [0x0f, 0x1f, 0x00],
  [0x0f, 0x1f, 0x40, 0x00],
  [0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00],
  [0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00],
  [0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
  [0x66, 0x2e, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00],
];

/** Fills [from, to) of `out` with the longest NOPs allowed, the remainder as one shorter NOP. */
export function fillWithNops(out: Uint8Array, from: number, to: number, elfClass: 32 | 64): void {
  const longest = elfClass === 64 ? NOPS.length : 2;
  let at = from;
  while (at < to) {
    const nop = NOPS[Math.min(longest, to - at) - 1]!;
    out.set(nop, at);
    at += nop.length;
  }
}
