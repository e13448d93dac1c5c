// Long mode's architectural switches: which code mode runs (real/16-bit, 32-bit, compatibility
// or 64-bit), the rules of CR0, CR4 and EFER for entering and leaving long mode, and canonical
// addresses.
import { CR0_PG, CR4_PAE, CS, EFER_LMA, EFER_LME, EFER_NXE, EFER_SCE, TR } from './constants.ts';
import { META_64, META_CODE32_SHIFT, META_VALID } from './decoded-cache.ts';
import { gp } from './fault.ts';
import type { CpuMemory } from './mem.ts';

/** CS descriptor-cache attribute bits: L (64-bit code) and D (32-bit default size). */
export const ATTR_L = 0x2000, ATTR_D = 0x4000;

/** Recomputes code32, mode64 and the decoded-cache key from CS and EFER.LMA; closes the fetch window. */
export function updateCodeMode(c: CpuMemory): void {
  const attr = c.segAttr[CS];
  const long = (c.efer & EFER_LMA) !== 0 && (attr & ATTR_L) !== 0;
  c.mode64 = long ? 1 : 0;
  c.code32 = !long && (attr & ATTR_D) !== 0 ? 1 : 0;
  c.codeKey = long ? META_VALID | META_64 : META_VALID | (c.code32 << META_CODE32_SHIFT);
  if (!long) c.ripHi = 0;
  c.fetchLo = c.fetchHi = 0;
}

/** Whether a 64-bit linear address (hi:lo) is canonical: bits 63-47 all equal. */
export function canonical(hi: number): boolean {
  return (hi << 16) >> 16 === hi;
}

/** EFER bits software may write (LMA is the processor's). */
const EFER_WRITABLE = EFER_SCE | EFER_LME | EFER_NXE;

/** wrmsr to IA32_EFER: #GP(0) for reserved bits or for changing LME while paging is on. */
export function writeEfer(c: CpuMemory, lo: number, hi: number): void {
  if (hi !== 0 || (lo & ~(EFER_WRITABLE | EFER_LMA)) !== 0) gp(0);
  if ((c.cr0 & CR0_PG) !== 0 && ((lo ^ c.efer) & EFER_LME) !== 0) gp(0);
  const old = c.efer;
  c.efer = (lo & EFER_WRITABLE) | (old & EFER_LMA);
  if ((old ^ c.efer) & EFER_NXE) c.flushTlb();
}

/**
 * The long-mode rules of a CR0 write (called before it takes effect): turning paging on with
 * EFER.LME activates long mode, which needs CR4.PAE, a CS without L and a 32-bit TSS in TR;
 * paging can be turned off only from compatibility mode, which deactivates it.
 */
export function cr0LongModeTransition(c: CpuMemory, oldCr0: number, newCr0: number): void {
  const pagingOn = (newCr0 & CR0_PG) !== 0 && (oldCr0 & CR0_PG) === 0;
  const pagingOff = (newCr0 & CR0_PG) === 0 && (oldCr0 & CR0_PG) !== 0;
  if (pagingOn && (c.efer & EFER_LME) !== 0) {
    if ((c.cr4 & CR4_PAE) === 0) gp(0);
    const trType = c.segAttr[TR] & 0xf;
    if ((c.segAttr[CS] & ATTR_L) !== 0 || (c.protectedMode() && (trType === 1 || trType === 3))) gp(0);
    c.efer |= EFER_LMA;
    updateCodeMode(c);
  } else if (pagingOff && (c.efer & EFER_LMA) !== 0) {
    if (c.mode64) gp(0);
    c.efer &= ~EFER_LMA;
    updateCodeMode(c);
  }
}

/** CR4 writes in long mode may not clear PAE. */
export function checkCr4LongMode(c: CpuMemory, v: number): void {
  if ((c.efer & EFER_LMA) !== 0 && (v & CR4_PAE) === 0) gp(0);
}
