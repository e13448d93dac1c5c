// i386 two-level paging structures (Intel SDM vol. 3A, 4.3 "32-bit paging"), as views over
// guest physical memory. CR3 holds the page directory's physical address; each directory
// entry (PDE) maps 4 MiB, either through a page table of 1024 PTEs or directly (PS=1, needs
// CR4.PSE); each PTE maps 4 KiB.
import type { PhysicalMemory } from '../../mm/phys.ts';

/** Bits of a PDE or PTE. */
export const Pte = {
  /** Present: the entry maps something; when clear, every other bit is free for software. */
  P: 1 << 0,
  /** Read/write: writes allowed (from CPL 3 always checked; from CPL 0 only when CR0.WP=1). */
  RW: 1 << 1,
  /** User/supervisor: CPL 3 may access; must be set at both levels for a user access. */
  US: 1 << 2,
  /** Page-level write-through. */
  PWT: 1 << 3,
  /** Page-level cache disable. */
  PCD: 1 << 4,
  /** Accessed: the CPU sets it the first time the entry is used for a translation. */
  A: 1 << 5,
  /** Dirty: the CPU sets it on the first write through a PTE or a 4 MiB PDE. */
  D: 1 << 6,
  /** In a PDE: page size, 1 = this entry maps a 4 MiB page. (In a PTE this bit is PAT.) */
  PS: 1 << 7,
  /** Global: the TLB keeps the translation across CR3 loads (with CR4.PGE); used for the kernel. */
  G: 1 << 8,
  /** Software bit 9 (ignored by the CPU): a read-only PTE that is copy-on-write, writable after a copy. */
  COW: 1 << 9,
} as const;

/** Physical address bits of a PTE or of a PDE pointing to a page table. */
export const FRAME_MASK = 0xfffff000;
/** Physical address bits of a 4 MiB PDE (bits 31:22; bits 20:13 are PSE-36 high bits, which this kernel keeps 0). */
export const LARGE_FRAME_MASK = 0xffc00000;
/** Bytes mapped by one PDE. */
export const PDE_SPAN = 4 * 1024 * 1024;
/** Entries per directory or table. */
export const ENTRIES = 1024;

/** Index of the PDE that maps `va`. */
export function pdeIndex(va: number): number {
  return va >>> 22;
}

/** Index of the PTE that maps `va` inside its page table. */
export function pteIndex(va: number): number {
  return (va >>> 12) & 0x3ff;
}

/** A page directory or page table: 1024 dword entries at a page-aligned physical address. */
export class PageTableView {
  constructor(
    private readonly mem: PhysicalMemory,
    /** Physical address of the table. */
    readonly base: number,
  ) {}

  /** Entry `i` (0..1023). */
  get(i: number): number {
    return this.mem.read32(this.base + i * 4);
  }

  /** Replaces entry `i`. */
  set(i: number, value: number): void {
    this.mem.write32(this.base + i * 4, value);
  }

  /** Physical address of entry `i`. */
  entryAddress(i: number): number {
    return this.base + i * 4;
  }
}

/** Why a user access would fault (as the #PF error code would say), or null when it succeeds. */
export type WalkFault = 'not-present' | 'supervisor' | 'read-only';

/** The result of walking the tables for one linear address, without touching A/D bits. */
export interface Walk {
  readonly fault: WalkFault | null;
  /** Physical address `va` translates to (valid when fault is null, or 'read-only'). */
  readonly pa: number;
  /** Physical address of the PDE used. */
  readonly pdeAddress: number;
  /** Physical address of the PTE used, or -1 for a 4 MiB page. */
  readonly pteAddress: number;
  /** The final entry (PTE, or the PDE of a 4 MiB page). */
  readonly leaf: number;
}

/**
 * Walks the tables rooted at `cr3` for a CPL-3 access to `va`, as the CPU would with CR4.PSE=`pse`:
 * user access needs US at both levels, a write needs RW at both levels (CR0.WP does not matter
 * for user accesses). PS in a PDE is honoured only with PSE; without it the CPU ignores the bit.
 */
export function walkUser(mem: PhysicalMemory, cr3: number, va: number, write: boolean, pse: boolean): Walk {
  const pdeAddress = (cr3 & FRAME_MASK) + pdeIndex(va) * 4;
  const pde = mem.read32(pdeAddress);
  if (!(pde & Pte.P)) return { fault: 'not-present', pa: 0, pdeAddress, pteAddress: -1, leaf: pde };
  if (pse && pde & Pte.PS) {
    const pa = ((pde & LARGE_FRAME_MASK) >>> 0) + (va & (PDE_SPAN - 1));
    return { fault: permission(pde, pde, write), pa, pdeAddress, pteAddress: -1, leaf: pde };
  }
  const pteAddress = ((pde & FRAME_MASK) >>> 0) + pteIndex(va) * 4;
  const pte = mem.read32(pteAddress);
  if (!(pte & Pte.P)) return { fault: 'not-present', pa: 0, pdeAddress, pteAddress, leaf: pte };
  const pa = ((pte & FRAME_MASK) >>> 0) + (va & 0xfff);
  return { fault: permission(pde, pte, write), pa, pdeAddress, pteAddress, leaf: pte };
}

function permission(pde: number, leaf: number, write: boolean): WalkFault | null {
  if (!(pde & Pte.US) || !(leaf & Pte.US)) return 'supervisor';
  if (write && (!(pde & Pte.RW) || !(leaf & Pte.RW))) return 'read-only';
  return null;
}

/**
 * Sets the A bits the CPU would set for a successful access through `walk` (PDE and leaf), and D
 * on the leaf for a write. Like the CPU, bits already set are not rewritten.
 */
export function markAccessed(mem: PhysicalMemory, walk: Walk, write: boolean): void {
  const pde = mem.read32(walk.pdeAddress);
  if (!(pde & Pte.A)) mem.write32(walk.pdeAddress, pde | Pte.A);
  const leafAddress = walk.pteAddress >= 0 ? walk.pteAddress : walk.pdeAddress;
  const leaf = mem.read32(leafAddress);
  const want = leaf | Pte.A | (write ? Pte.D : 0);
  if (want !== leaf) mem.write32(leafAddress, want);
}
