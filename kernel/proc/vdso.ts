// The vDSO and its data page. The architecture supplies the vDSO image (code such as
// __kernel_vsyscall, assembled into kernel-owned frames); the kernel maps it read-only into every
// program at exec, tells the program where through AT_SYSINFO and AT_SYSINFO_EHDR, and keeps a
// read-only time page (vvar) just below it up to date at every timer tick, so that time calls
// can be answered in user mode without a trap.
import type { AddressSpace } from '../mm/address-space.ts';
import type { FrameAllocator } from '../mm/frames.ts';
import { PAGE_SIZE, type PhysicalMemory } from '../mm/phys.ts';
import { AT } from './initial-stack.ts';

/** The vDSO image as the architecture prepared it. */
export interface VdsoImage {
  /** Frames holding the image, in order; the architecture keeps its own reference to each. */
  readonly frames: readonly number[];
  /** Offset of the system-call entry (__kernel_vsyscall) from the image's start: AT_SYSINFO. */
  readonly entryOffset: number;
  /** Whether the image is an ELF shared object (then AT_SYSINFO_EHDR points at it). */
  readonly isElf: boolean;
  /** Offset of the landing pad a fast system call (i386 sysenter) returns to, when the image has one. */
  readonly landingPadOffset?: number;
}

/**
 * Layout of the vvar time page, little-endian u32 fields. A reader loops while `seq` is odd or
 * changes across its reads (a seqlock), then has a consistent snapshot.
 */
export const VVAR = { seq: 0, realtimeSec: 4, realtimeNsec: 8, monotonicSec: 12, monotonicNsec: 16 } as const;

/** Where the pages go: a gap below the stack, then vvar, then the image. */
const GAP_BELOW_STACK = 64 * 1024;

/** The vDSO mapping of every program, and the time page behind it. */
export class Vdso {
  private seq = 0;

  private constructor(
    private readonly mem: PhysicalMemory,
    private readonly image: VdsoImage,
    /** The kernel's own frame for the time page. */
    readonly vvarFrame: number,
  ) {}

  /** Sets up the time page for `image`; null when no frame is free. */
  static create(mem: PhysicalMemory, frames: FrameAllocator, image: VdsoImage): Vdso | null {
    const vvar = frames.alloc();
    return vvar === null ? null : new Vdso(mem, image, vvar);
  }

  /** Address of the vvar page in a space whose stack starts at `stackBottom`; the image follows it. */
  vvarAddress(stackBottom: number): number {
    return stackBottom - GAP_BELOW_STACK - (1 + this.image.frames.length) * PAGE_SIZE;
  }

  /** Address of the image in a space whose stack starts at `stackBottom`. */
  imageAddress(stackBottom: number): number {
    return this.vvarAddress(stackBottom) + PAGE_SIZE;
  }

  /** Address of the landing pad in a space whose stack starts at `stackBottom`; null when the image has none. */
  landingPad(stackBottom: number): number | null {
    const offset = this.image.landingPadOffset;
    return offset === undefined ? null : this.imageAddress(stackBottom) + offset;
  }

  /** Maps vvar and the image read-only below the stack: the auxiliary entries to pass, or null when out of memory. */
  mapInto(space: AddressSpace, stackBottom: number): [number, number][] | null {
    if (!space.mapFrame(this.vvarAddress(stackBottom), this.vvarFrame, false)) return null;
    const base = this.imageAddress(stackBottom);
    for (let i = 0; i < this.image.frames.length; i++) {
      if (!space.mapFrame(base + i * PAGE_SIZE, this.image.frames[i]!, false)) return null;
    }
    const auxv: [number, number][] = [[AT.SYSINFO, base + this.image.entryOffset]];
    if (this.image.isElf) auxv.push([AT.SYSINFO_EHDR, base]);
    return auxv;
  }

  /** Publishes the time (at every timer tick): realtime and monotonic seconds and nanoseconds. */
  update(realtimeNs: number, monotonicNs: number): void {
    const at = this.vvarFrame;
    this.mem.write32(at + VVAR.seq, ++this.seq);
    this.mem.write32(at + VVAR.realtimeSec, Math.floor(realtimeNs / 1e9));
    this.mem.write32(at + VVAR.realtimeNsec, realtimeNs % 1e9);
    this.mem.write32(at + VVAR.monotonicSec, Math.floor(monotonicNs / 1e9));
    this.mem.write32(at + VVAR.monotonicNsec, monotonicNs % 1e9);
    this.mem.write32(at + VVAR.seq, ++this.seq);
  }
}
