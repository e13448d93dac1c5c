// 32-bit paging: the two-level walk with 4 KiB pages and, with CR4.PSE, 4 MiB pages; U/S and
// R/W checks (CR0.WP for supervisor writes), accessed and dirty bits, #PF with CR2.
import { CR0_PG, CR0_WP, CR4_PAE, CR4_PSE, PFE_P, PFE_RSVD, PFE_U, PFE_W } from './constants.ts';
import { CpuFault } from './fault.ts';
import type { CpuMemory } from './mem.ts';
import { walkPae } from './paging64.ts';
import { TLB_RAM, TLB_SW, TLB_UR, TLB_UW, TLB_VALID } from './tlb-bits.ts';

/** Fields of a 32-bit page-directory or page-table entry. */
export const PTE = {
  /** Bit 0, P: the entry maps something; clear means every access faults. */
  PRESENT: 0x1,
  /** Bit 1, R/W: writes allowed (for supervisor writes only when CR0.WP is set). */
  WRITABLE: 0x2,
  /** Bit 2, U/S: CPL 3 may access; must be set at both levels. */
  USER: 0x4,
  /** Bit 3, PWT: write-through caching (no effect here: there is no cache). */
  WRITE_THROUGH: 0x8,
  /** Bit 4, PCD: cache disable (no effect here). */
  CACHE_DISABLE: 0x10,
  /** Bit 5, A: set by the CPU on the first access through the entry. */
  ACCESSED: 0x20,
  /** Bit 6, D: set by the CPU on the first write (page-table entries and 4 MiB PDEs only). */
  DIRTY: 0x40,
  /** Bit 7 of a PDE, PS: maps a 4 MiB page when CR4.PSE is set. */
  PAGE_SIZE: 0x80,
  /** Bit 8, G: global page (only with CR4.PGE, which this CPU does not offer). */
  GLOBAL: 0x100,
  /** Bits 12-31: physical address of the next table or the page frame. */
  FRAME: 0xfffff000 | 0,
  /** Bits 22-31 of a 4 MiB PDE: the page frame; bits 13-21 are reserved (no PSE-36). */
  LARGE_FRAME: 0xffc00000 | 0,
  LARGE_RESERVED: 0x003fe000,
} as const;

/** A decoded page-table entry, for inspection and tests. */
export interface PageEntryView {
  present: boolean;
  writable: boolean;
  user: boolean;
  accessed: boolean;
  dirty: boolean;
  pageSize: boolean;
  frame: number;
}

/** Decodes the fields of a raw page-directory or page-table entry. */
export function viewPageEntry(raw: number): PageEntryView {
  return {
    present: (raw & PTE.PRESENT) !== 0,
    writable: (raw & PTE.WRITABLE) !== 0,
    user: (raw & PTE.USER) !== 0,
    accessed: (raw & PTE.ACCESSED) !== 0,
    dirty: (raw & PTE.DIRTY) !== 0,
    pageSize: (raw & PTE.PAGE_SIZE) !== 0,
    frame: (raw & PTE.FRAME) >>> 0,
  };
}


function pageFault(c: CpuMemory, lin: number, code: number): never {
  c.cr2 = lin | 0;
  throw new CpuFault(14, code);
}

/** Translates `lin` for the access (PAE paging in paging64.ts), fills the TLB and returns the entry; throws #PF on failure. */
export function walk(c: CpuMemory, lin: number, write: boolean, user: boolean, fetch = false): number {
  const a20 = c.mem.a20Mask;
  const page = lin >>> 12;
  if ((c.cr0 & CR0_PG) === 0) {
    const phys = (lin & a20 & ~0xfff) >>> 0;
    const entry = (phys | TLB_VALID | TLB_UR | TLB_SW | TLB_UW | (c.isRam(phys) ? TLB_RAM : 0)) | 0;
    c.tlbSet(page, entry);
    return entry;
  }
  if ((c.cr4 & CR4_PAE) !== 0) return walkPae(c, lin, 0, write, user, fetch);
  const errBase = (write ? PFE_W : 0) | (user ? PFE_U : 0);
  const pdeAddr = (((c.cr3 & PTE.FRAME) + ((lin >>> 22) << 2)) & a20) >>> 0;
  const pde = c.mem.read32(pdeAddr);
  if ((pde & PTE.PRESENT) === 0) pageFault(c, lin, errBase);
  const large = (pde & PTE.PAGE_SIZE) !== 0 && (c.cr4 & CR4_PSE) !== 0;
  let pte: number;
  let pteAddr = -1;
  let frame: number;
  if (large) {
    if ((pde & PTE.LARGE_RESERVED) !== 0) pageFault(c, lin, errBase | PFE_P | PFE_RSVD);
    pte = pde;
    frame = ((pde & PTE.LARGE_FRAME) | (lin & 0x3ff000)) >>> 0;
  } else {
    pteAddr = (((pde & PTE.FRAME) + (((lin >>> 12) & 0x3ff) << 2)) & a20) >>> 0;
    pte = c.mem.read32(pteAddr);
    if ((pte & PTE.PRESENT) === 0) pageFault(c, lin, errBase);
    frame = (pte & PTE.FRAME) >>> 0;
  }
  // Permissions combine both levels: the most restrictive wins.
  const both = pde & pte;
  const userOk = (both & PTE.USER) !== 0;
  const rwBoth = (both & PTE.WRITABLE) !== 0;
  const userWrite = userOk && rwBoth;
  const superWrite = rwBoth || (c.cr0 & CR0_WP) === 0;
  if (user ? !userOk || (write && !userWrite) : write && !superWrite) pageFault(c, lin, errBase | PFE_P);

  if ((pde & PTE.ACCESSED) === 0 || (large && write && (pde & PTE.DIRTY) === 0)) {
    c.mem.write32(pdeAddr, pde | PTE.ACCESSED | (large && write ? PTE.DIRTY : 0));
  }
  let dirty = (pte & PTE.DIRTY) !== 0;
  if (!large) {
    if ((pte & PTE.ACCESSED) === 0 || (write && !dirty)) {
      c.mem.write32(pteAddr, pte | PTE.ACCESSED | (write ? PTE.DIRTY : 0));
    }
  }
  if (write) dirty = true;
  frame = (frame & a20) >>> 0;
  let entry = frame | TLB_VALID | (userOk ? TLB_UR : 0) | (c.isRam(frame) ? TLB_RAM : 0);
  // Writes through an entry whose dirty bit is clear must walk again to set it.
  if (dirty) entry |= (superWrite ? TLB_SW : 0) | (userWrite ? TLB_UW : 0);
  c.tlbSet(page, entry | 0);
  return entry | 0;
}
