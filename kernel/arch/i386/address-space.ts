// Address spaces in i386 two-level page tables. The kernel half (0xC0000000 up) is the same set
// of supervisor-only 4 MiB PDEs in every directory, copied from the kernel's own directory; the
// user half gets page tables on demand. Fork shares user frames copy-on-write.
import type { AddressSpace, TlbHooks } from '../../mm/address-space.ts';
import type { FrameAllocator } from '../../mm/frames.ts';
import { PAGE_SIZE, type PhysicalMemory } from '../../mm/phys.ts';
import { ENTRIES, FRAME_MASK, PageTableView, PDE_SPAN, Pte, markAccessed, pdeIndex, pteIndex, walkUser } from './paging.ts';

/** Where the kernel's higher half starts; user space is everything below. */
export const KERNEL_BASE = 0xc0000000;
const KERNEL_PDE = pdeIndex(KERNEL_BASE);

/**
 * Builds the kernel's page directory: physical memory from 0 mapped at KERNEL_BASE with 4 MiB
 * supervisor, global pages (the CPU needs CR4.PSE and, for G, CR4.PGE), no user half.
 * Returns its physical address; null when no frame is free.
 */
export function createKernelDirectory(mem: PhysicalMemory, frames: FrameAllocator): number | null {
  const pd = frames.alloc();
  if (pd === null) return null;
  const view = new PageTableView(mem, pd);
  const spans = Math.min(ENTRIES - KERNEL_PDE, Math.ceil(mem.size / PDE_SPAN));
  for (let i = 0; i < spans; i++) view.set(KERNEL_PDE + i, (i * PDE_SPAN) | Pte.P | Pte.RW | Pte.PS | Pte.G);
  return pd;
}

/** One process's address space. */
export class I386AddressSpace implements AddressSpace {
  readonly userTop = KERNEL_BASE;
  private readonly dir: PageTableView;

  private constructor(
    private readonly mem: PhysicalMemory,
    private readonly frames: FrameAllocator,
    private readonly tlb: TlbHooks,
    readonly root: number,
    /** Whether CR4.PSE is on, so the walk honours 4 MiB pages. */
    private readonly pse: boolean,
  ) {
    this.dir = new PageTableView(mem, root);
  }

  /** A new space with an empty user half and the kernel half of `kernelDirectory`; null when RAM runs out. */
  static create(mem: PhysicalMemory, frames: FrameAllocator, tlb: TlbHooks, kernelDirectory: number, pse = true): I386AddressSpace | null {
    const root = frames.alloc();
    if (root === null) return null;
    const kernel = new PageTableView(mem, kernelDirectory);
    const dir = new PageTableView(mem, root);
    for (let i = KERNEL_PDE; i < ENTRIES; i++) dir.set(i, kernel.get(i));
    return new I386AddressSpace(mem, frames, tlb, root, pse);
  }

  probe(va: number, write: boolean): number {
    if (va >= this.userTop) return -1;
    const walk = walkUser(this.mem, this.root, va, write, this.pse);
    if (walk.fault === null) return walk.pa;
    if (walk.fault === 'read-only' && walk.pteAddress >= 0 && walk.leaf & Pte.COW && this.writableDir(va)) return walk.pa;
    return -1;
  }

  commit(va: number, write: boolean): number {
    if (write) {
      const walk = walkUser(this.mem, this.root, va, true, this.pse);
      if (walk.fault === 'read-only' && walk.leaf & Pte.COW && !this.breakCow(va, walk.pteAddress, walk.leaf)) return -1;
    }
    const walk = walkUser(this.mem, this.root, va, write, this.pse);
    if (walk.fault !== null) return -1;
    markAccessed(this.mem, walk, write);
    return walk.pa;
  }

  mapZeroed(va: number, length: number, writable: boolean): boolean {
    const first = Math.floor(va / PAGE_SIZE);
    const end = Math.ceil((va + length) / PAGE_SIZE);
    const added: number[] = [];
    for (let page = first; page < end; page++) {
      const addr = page * PAGE_SIZE;
      const pteAddress = this.pteFor(addr, true);
      if (pteAddress < 0) return this.undo(added);
      if (this.mem.read32(pteAddress) & Pte.P) continue;
      const frame = this.frames.alloc();
      if (frame === null) return this.undo(added);
      this.mem.write32(pteAddress, frame | Pte.P | Pte.US | (writable ? Pte.RW : 0));
      added.push(addr);
    }
    return true;
  }

  mapFrame(va: number, frame: number, writable: boolean): boolean {
    const pteAddress = this.pteFor(va, true);
    if (pteAddress < 0 || this.mem.read32(pteAddress) & Pte.P) return false;
    this.frames.ref(frame);
    this.mem.write32(pteAddress, frame | Pte.P | Pte.US | (writable ? Pte.RW : 0));
    return true;
  }

  unmap(va: number, length: number): void {
    const first = Math.floor(va / PAGE_SIZE);
    const end = Math.ceil((va + length) / PAGE_SIZE);
    for (let page = first; page < end; page++) {
      const addr = page * PAGE_SIZE;
      const pteAddress = this.pteFor(addr, false);
      if (pteAddress < 0) continue;
      const pte = this.mem.read32(pteAddress);
      if (!(pte & Pte.P)) continue;
      this.mem.write32(pteAddress, 0);
      this.frames.unref((pte & FRAME_MASK) >>> 0);
      this.tlb.invalidatePage(this.root, addr);
    }
  }

  anyMapped(va: number, length: number): boolean {
    const first = Math.floor(va / PAGE_SIZE);
    const end = Math.ceil((va + length) / PAGE_SIZE);
    for (let page = first; page < end; page++) {
      const pteAddress = this.pteFor(page * PAGE_SIZE, false);
      if (pteAddress >= 0 && this.mem.read32(pteAddress) & Pte.P) return true;
    }
    return false;
  }

  fork(): AddressSpace | null {
    const child = I386AddressSpace.create(this.mem, this.frames, this.tlb, this.root, this.pse);
    if (child === null) return null;
    for (let i = 0; i < KERNEL_PDE; i++) {
      const pde = this.dir.get(i);
      // This kernel maps user memory with 4 KiB pages only; a 4 MiB user PDE is not its own.
      if (!(pde & Pte.P) || pde & Pte.PS) continue;
      const table = this.frames.alloc();
      if (table === null) {
        child.destroy();
        return null;
      }
      child.dir.set(i, table | (pde & 0xfff & ~Pte.A));
      const from = new PageTableView(this.mem, (pde & FRAME_MASK) >>> 0);
      const to = new PageTableView(this.mem, table);
      for (let j = 0; j < ENTRIES; j++) {
        let pte = from.get(j);
        if (!(pte & Pte.P)) continue;
        if (pte & (Pte.RW | Pte.COW)) {
          pte = (pte & ~Pte.RW) | Pte.COW;
          from.set(j, pte);
        }
        this.frames.ref((pte & FRAME_MASK) >>> 0);
        to.set(j, pte);
      }
    }
    this.tlb.flushAll(this.root);
    return child;
  }

  destroy(): void {
    for (let i = 0; i < KERNEL_PDE; i++) {
      const pde = this.dir.get(i);
      if (!(pde & Pte.P)) continue;
      if (pde & Pte.PS) continue;
      const table = new PageTableView(this.mem, (pde & FRAME_MASK) >>> 0);
      for (let j = 0; j < ENTRIES; j++) {
        const pte = table.get(j);
        if (pte & Pte.P) this.frames.unref((pte & FRAME_MASK) >>> 0);
      }
      this.frames.unref(table.base);
      this.dir.set(i, 0);
    }
    this.frames.unref(this.root);
  }

  /** Physical address of the PTE for `va`, creating its page table when `create`; -1 when absent or out of memory. */
  private pteFor(va: number, create: boolean): number {
    if (va >= this.userTop) return -1;
    const i = pdeIndex(va);
    let pde = this.dir.get(i);
    if (!(pde & Pte.P)) {
      if (!create) return -1;
      const table = this.frames.alloc();
      if (table === null) return -1;
      // Permissions are decided per page, so the directory entry allows everything.
      pde = table | Pte.P | Pte.RW | Pte.US;
      this.dir.set(i, pde);
    }
    if (pde & Pte.PS) return -1;
    return ((pde & FRAME_MASK) >>> 0) + pteIndex(va) * 4;
  }

  private writableDir(va: number): boolean {
    return (this.dir.get(pdeIndex(va)) & Pte.RW) !== 0;
  }

  /** Gives the page at `va` its own writable frame (or just write access when it is the last sharer). */
  private breakCow(va: number, pteAddress: number, pte: number): boolean {
    const old = (pte & FRAME_MASK) >>> 0;
    const flags = (pte & 0xfff & ~Pte.COW) | Pte.RW;
    if (this.frames.refCount(old) === 1) {
      this.mem.write32(pteAddress, old | flags);
    } else {
      const frame = this.frames.alloc();
      if (frame === null) return false;
      this.mem.copy(frame, old, PAGE_SIZE);
      this.frames.unref(old);
      this.mem.write32(pteAddress, frame | flags);
    }
    this.tlb.invalidatePage(this.root, va & ~0xfff);
    return true;
  }

  private undo(added: readonly number[]): false {
    for (const addr of added) this.unmap(addr, PAGE_SIZE);
    return false;
  }
}
