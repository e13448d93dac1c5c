// What the architecture-independent kernel needs from an address space. The page-table format
// behind it is the architecture's (kernel/arch/i386/address-space.ts for two-level i386 tables).

/** A process's view of memory: user pages below `userTop`, the kernel's shared above it. */
export interface AddressSpace {
  /** Physical address of the top-level table (what CR3 holds while this space is current). */
  readonly root: number;
  /** First address user space may not touch; everything above belongs to the kernel. */
  readonly userTop: number;
  /**
   * The physical address a user-mode access to `va` would reach, or -1 when it would fault
   * (not present, supervisor-only, or a write to a read-only page). A write to a copy-on-write
   * page counts as allowed. Changes nothing.
   */
  probe(va: number, write: boolean): number;
  /**
   * Performs the access for real after a successful probe: copies a copy-on-write page for a write,
   * then sets the A (and D) bits as the CPU would. Returns the physical address, or -1 when the
   * copy needs a frame and none is free.
   */
  commit(va: number, write: boolean): number;
  /** Maps zeroed user pages over [va, va+length) where nothing is mapped; false (and no change) when RAM runs out. */
  mapZeroed(va: number, length: number, writable: boolean): boolean;
  /** Maps the existing frame `frame` at user page `va` (one more reference to it); false when `va` is taken or no table frame is left. */
  mapFrame(va: number, frame: number, writable: boolean): boolean;
  /** Unmaps user pages in [va, va+length), releasing their frames. */
  unmap(va: number, length: number): void;
  /** Whether any page of [va, va+length) is mapped. */
  anyMapped(va: number, length: number): boolean;
  /** A copy-on-write copy of the user half (both spaces share frames read-only); null when RAM runs out. */
  fork(): AddressSpace | null;
  /** Releases every user frame and table, and the top-level table. The space is unusable afterwards. */
  destroy(): void;
}

/** The TLB maintenance the architecture performs when the kernel edits live page tables. */
export interface TlbHooks {
  /** A mapping of `va` in the space rooted at `root` changed (invlpg when that space is current). */
  invalidatePage(root: number, va: number): void;
  /** Many mappings of the space rooted at `root` changed (reload CR3 when that space is current). */
  flushAll(root: number): void;
}

/** TLB hooks for tests and for spaces that are not live yet. */
export const NO_TLB: TlbHooks = { invalidatePage: () => {}, flushAll: () => {} };
