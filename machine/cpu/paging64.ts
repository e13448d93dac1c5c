// PAE paging: the three-level walk of legacy PAE (CR4.PAE without long mode) and the four-level
// walk of long mode, with 64-bit entries: NX (EFER.NXE), U/S and R/W combined over all levels,
// 2 MiB and (long mode) 1 GiB pages, accessed and dirty bits, reserved-bit checks, and #PF error
// codes with the instruction-fetch bit. Physical addresses are 32 bits wide (CPUID says so), so
// entry bits 32-51 are reserved.
import { CR0_WP, EFER_LMA, EFER_NXE, PFE_I, PFE_P, PFE_RSVD, PFE_U, PFE_W } from './constants.ts';
import { CpuFault } from './fault.ts';
import type { CpuMemory } from './mem.ts';
import { TLB_NOEXEC, TLB_RAM, TLB_SW, TLB_UR, TLB_UW, TLB_VALID } from './tlb-bits.ts';

/** Fields of a 64-bit paging-structure entry: low word, then the high word's bits. */
export const PTE64 = {
  PRESENT: 0x1,
  WRITABLE: 0x2,
  USER: 0x4,
  ACCESSED: 0x20,
  DIRTY: 0x40,
  /** Bit 7 of a PDE (2 MiB) or, in long mode, a PDPTE (1 GiB): maps a page; reserved in a PML4E. */
  PAGE_SIZE: 0x80,
  /** Bit 63 (bit 31 of the high word), XD: no instruction fetches; reserved unless EFER.NXE. */
  HI_NO_EXEC: 0x80000000 | 0,
  /** Bits 32-51 (high word bits 0-19): physical address bits beyond the 32 this CPU has. */
  HI_RESERVED: 0x000fffff,
  /** Reserved low bits of a 2 MiB page entry (13-20) and of a 1 GiB page entry (13-29). */
  LARGE2M_RESERVED: 0x001fe000,
  LARGE1G_RESERVED: 0x3fffe000,
  /** Reserved bits of a legacy-PAE PDPTE: R/W, U/S (1-2) and 5-8. */
  PDPTE_RESERVED: 0x1e6,
} as const;

const entryAddrs = new Float64Array(4);
const entryLo = new Int32Array(4);

function pageFault(c: CpuMemory, lo: number, hi: number, code: number): never {
  c.cr2 = lo | 0;
  c.cr2Hi = hi;
  throw new CpuFault(14, code);
}

/**
 * Translates the linear address hi:lo (hi is 0 outside long mode) for the access, fills the
 * TLB (the main one below 4 GiB, else the high one) and returns the entry; throws #PF.
 */
export function walkPae(c: CpuMemory, lo: number, hi: number, write: boolean, user: boolean, fetch: boolean): number {
  const a20 = c.mem.a20Mask;
  const nxe = (c.efer & EFER_NXE) !== 0;
  const long = (c.efer & EFER_LMA) !== 0;
  const errBase = (write ? PFE_W : 0) | (user ? PFE_U : 0) | (fetch && nxe ? PFE_I : 0);
  const hiReserved = PTE64.HI_RESERVED | (nxe ? 0 : PTE64.HI_NO_EXEC);
  let levels = 0;
  let table: number;
  let rw = PTE64.WRITABLE, us = PTE64.USER, noExec = false;
  let frame = 0;
  let leafLevel: number;
  if (long) {
    table = c.cr3 & ~0xfff;
    leafLevel = 4;
  } else {
    // Legacy PAE: the PDPTE selected by bits 30-31, from the 32-byte table at CR3.
    const addr = (((c.cr3 & ~0x1f) + (lo >>> 30) * 8) & a20) >>> 0;
    const elo = c.mem.read32(addr), ehi = c.mem.read32(addr + 4);
    if ((elo & PTE64.PRESENT) === 0) pageFault(c, lo, hi, errBase);
    if ((elo & PTE64.PDPTE_RESERVED) !== 0 || (ehi & (PTE64.HI_RESERVED | PTE64.HI_NO_EXEC)) !== 0) pageFault(c, lo, hi, errBase | PFE_P | PFE_RSVD);
    table = elo & ~0xfff;
    leafLevel = 2;
  }
  for (let level = leafLevel; level >= 1; level--) {
    const index = level === 4 ? (hi >>> 7) & 0x1ff : level === 3 ? ((hi & 0x7f) << 2) | (lo >>> 30) : level === 2 ? (lo >>> 21) & 0x1ff : (lo >>> 12) & 0x1ff;
    const addr = ((table + index * 8) & a20) >>> 0;
    const elo = c.mem.read32(addr), ehi = c.mem.read32(addr + 4);
    if ((elo & PTE64.PRESENT) === 0) pageFault(c, lo, hi, errBase);
    let reserved = (ehi & hiReserved) !== 0;
    const ps = (elo & PTE64.PAGE_SIZE) !== 0;
    if (level === 4 && ps) reserved = true;
    if (level === 3 && ps && (elo & PTE64.LARGE1G_RESERVED) !== 0) reserved = true;
    if (level === 2 && ps && (elo & PTE64.LARGE2M_RESERVED) !== 0) reserved = true;
    if (reserved) pageFault(c, lo, hi, errBase | PFE_P | PFE_RSVD);
    rw &= elo;
    us &= elo;
    if (nxe && (ehi & PTE64.HI_NO_EXEC) !== 0) noExec = true;
    entryAddrs[levels] = addr;
    entryLo[levels++] = elo;
    if (level === 1 || ((level === 2 || level === 3) && ps)) {
      frame = level === 3 ? (elo & 0xc0000000) | (lo & 0x3ffff000) : level === 2 ? (elo & 0xffe00000) | (lo & 0x1ff000) : elo & ~0xfff;
      break;
    }
    table = elo & ~0xfff;
  }
  const userOk = us !== 0;
  const rwAll = rw !== 0;
  const userWrite = userOk && rwAll;
  const superWrite = rwAll || (c.cr0 & CR0_WP) === 0;
  if (user ? !userOk || (write && !userWrite) : write && !superWrite) pageFault(c, lo, hi, errBase | PFE_P);
  if (fetch && noExec) pageFault(c, lo, hi, errBase | PFE_P);

  // Accessed bits on every level used; the dirty bit on the entry that maps the page.
  const leaf = levels - 1;
  for (let i = 0; i < levels; i++) {
    const elo = entryLo[i];
    const dirty = i === leaf && write ? PTE64.DIRTY : 0;
    if ((elo & PTE64.ACCESSED) === 0 || (dirty !== 0 && (elo & PTE64.DIRTY) === 0)) c.mem.write32(entryAddrs[i], elo | PTE64.ACCESSED | dirty);
  }
  const dirty = write || (entryLo[leaf] & PTE64.DIRTY) !== 0;
  frame = (frame & a20) >>> 0;
  let entry = frame | TLB_VALID | (userOk ? TLB_UR : 0) | (c.isRam(frame) ? TLB_RAM : 0) | (noExec ? TLB_NOEXEC : 0);
  // Writes through an entry whose dirty bit is clear must walk again to set it.
  if (dirty) entry |= (superWrite ? TLB_SW : 0) | (userWrite ? TLB_UW : 0);
  entry |= 0;
  if (hi === 0) c.tlbSet(lo >>> 12, entry);
  else c.highTlb.set(lo, hi, entry);
  return entry;
}

/** Side-effect-free PAE translation of hi:lo: the physical address, or -1 when not mapped. */
export function peekPae(c: CpuMemory, lo: number, hi: number): number {
  const a20 = c.mem.a20Mask;
  let table: number;
  let level: number;
  if ((c.efer & EFER_LMA) !== 0) {
    table = c.cr3 & ~0xfff;
    level = 4;
  } else {
    const e = c.mem.read32((((c.cr3 & ~0x1f) + (lo >>> 30) * 8) & a20) >>> 0);
    if ((e & 1) === 0) return -1;
    table = e & ~0xfff;
    level = 2;
  }
  for (; level >= 1; level--) {
    const index = level === 4 ? (hi >>> 7) & 0x1ff : level === 3 ? ((hi & 0x7f) << 2) | (lo >>> 30) : level === 2 ? (lo >>> 21) & 0x1ff : (lo >>> 12) & 0x1ff;
    const e = c.mem.read32(((table + index * 8) & a20) >>> 0);
    if ((e & 1) === 0) return -1;
    const ps = (e & PTE64.PAGE_SIZE) !== 0;
    if (level === 3 && ps) return (((e & 0xc0000000) | (lo & 0x3fffffff)) & a20) >>> 0;
    if (level === 2 && ps) return (((e & 0xffe00000) | (lo & 0x1fffff)) & a20) >>> 0;
    if (level === 1) return (((e & ~0xfff) | (lo & 0xfff)) & a20) >>> 0;
    table = e & ~0xfff;
  }
  return -1;
}
