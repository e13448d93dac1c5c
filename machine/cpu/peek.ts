// Side-effect-free translation for debuggers and tests: no TLB fill, no A/D bits, no faults.
import { CR0_PG, CR4_PAE, CR4_PSE } from './constants.ts';
import type { CpuMemory } from './mem.ts';
import { peekPae } from './paging64.ts';

/** Physical address of linear `lin`, or -1 when it is not mapped. */
export function peekTranslate(c: CpuMemory, lin: number): number {
  const a20 = c.mem.a20Mask;
  if ((c.cr0 & CR0_PG) === 0) return (lin & a20) >>> 0;
  if ((c.cr4 & CR4_PAE) !== 0) return peekPae(c, lin, 0);
  const pde = c.mem.read32((((c.cr3 & ~0xfff) + ((lin >>> 22) << 2)) & a20) >>> 0);
  if ((pde & 1) === 0) return -1;
  if ((pde & 0x80) !== 0 && (c.cr4 & CR4_PSE) !== 0) return (((pde & 0xffc00000) | (lin & 0x3fffff)) & a20) >>> 0;
  const pte = c.mem.read32((((pde & ~0xfff) + (((lin >>> 12) & 0x3ff) << 2)) & a20) >>> 0);
  if ((pte & 1) === 0) return -1;
  return (((pte & ~0xfff) | (lin & 0xfff)) & a20) >>> 0;
}
