// The physical frame allocator: every 4 KiB frame of RAM the Multiboot memory map reports as
// available, minus what the boot left in use (the kernel image, the modules, the boot data).
// Frames carry reference counts so copy-on-write fork can share them.
import { PAGE_SIZE, type PhysicalMemory } from './phys.ts';

/** One region of the memory map (Multiboot type 1 is available RAM). */
export interface MemoryRegion {
  readonly base: number;
  readonly length: number;
  readonly type: number;
}

/** A range of physical memory the allocator must never hand out. */
export interface ReservedRange {
  readonly base: number;
  readonly length: number;
}

const AVAILABLE = 1;

/** Frames by reference count; allocation order is deterministic (lowest address first). */
export class FrameAllocator {
  private readonly refs: Uint16Array;
  private readonly stack: Int32Array;
  private top = 0;
  private readonly total: number;

  /** Builds the free list from the available regions that lie inside RAM, minus `reserved`. */
  constructor(
    private readonly mem: PhysicalMemory,
    regions: readonly MemoryRegion[],
    reserved: readonly ReservedRange[],
  ) {
    const frames = Math.floor(mem.size / PAGE_SIZE);
    this.refs = new Uint16Array(frames);
    const usable = new Uint8Array(frames);
    for (const r of regions) {
      if (r.type !== AVAILABLE) continue;
      const first = Math.ceil(r.base / PAGE_SIZE);
      const end = Math.min(frames, Math.floor((r.base + r.length) / PAGE_SIZE));
      for (let f = first; f < end; f++) usable[f] = 1;
    }
    for (const r of reserved) {
      const first = Math.floor(r.base / PAGE_SIZE);
      const end = Math.min(frames, Math.ceil((r.base + r.length) / PAGE_SIZE));
      for (let f = first; f < end; f++) usable[f] = 0;
    }
    // Frame 0 holds the real-mode IVT and doubles as "no frame": never hand it out.
    usable[0] = 0;
    this.stack = new Int32Array(frames);
    for (let f = frames - 1; f >= 0; f--) if (usable[f]) this.stack[this.top++] = f;
    this.total = this.top;
  }

  /** How many frames are free now. */
  get freeCount(): number {
    return this.top;
  }

  /** How many frames the allocator manages in all. */
  get totalCount(): number {
    return this.total;
  }

  /** A zero-filled frame with reference count 1, as a physical address; null when RAM is exhausted. */
  alloc(): number | null {
    if (this.top === 0) return null;
    const frame = this.stack[--this.top]!;
    this.refs[frame] = 1;
    const pa = frame * PAGE_SIZE;
    this.mem.zero(pa, PAGE_SIZE);
    return pa;
  }

  /** Adds a reference to an allocated frame (a copy-on-write share). */
  ref(pa: number): void {
    const frame = pa / PAGE_SIZE;
    if (this.refs[frame] === 0) throw new Error(`frame 0x${pa.toString(16)} is not allocated`);
    this.refs[frame]!++;
  }

  /** Drops a reference; the frame returns to the free list when none are left. */
  unref(pa: number): void {
    const frame = pa / PAGE_SIZE;
    const count = this.refs[frame]!;
    if (count === 0) throw new Error(`frame 0x${pa.toString(16)} freed twice`);
    this.refs[frame] = count - 1;
    if (count === 1) this.stack[this.top++] = frame;
  }

  /** The reference count of the frame at `pa`. */
  refCount(pa: number): number {
    return this.refs[pa / PAGE_SIZE] ?? 0;
  }
}
