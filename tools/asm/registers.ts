// Register names NASM knows, grouped by what the front end needs to know about them.

const gpr8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh', 'spl', 'bpl', 'sil', 'dil'];
const gpr16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const gpr32 = gpr16.map((r) => 'e' + r);
const gpr64 = gpr16.map((r) => 'r' + r);
const numbered: string[] = [];
for (let i = 8; i < 16; i++) numbered.push(`r${i}`, `r${i}b`, `r${i}w`, `r${i}d`, `r${i}l`);
const range = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Segment registers, which may also be written as instruction prefixes. */
export const SEGMENT_REGISTERS = new Set(['es', 'cs', 'ss', 'ds', 'fs', 'gs']);

const REGISTERS = new Set<string>([
  ...gpr8, ...gpr16, ...gpr32, ...gpr64, ...numbered,
  ...SEGMENT_REGISTERS,
  ...range('cr', 16), ...range('dr', 16), ...range('tr', 8),
  ...range('st', 8), ...range('mm', 8), ...range('xmm', 32), ...range('ymm', 32), ...range('zmm', 32),
  ...range('k', 8), ...range('bnd', 4),
]);

/** Whether `name` (any case) is a register. */
export function isRegister(name: string): boolean {
  return REGISTERS.has(name.toLowerCase());
}
