import { describe, expect, it } from 'vitest';
import { createKernelDirectory, I386AddressSpace, KERNEL_BASE } from '../../kernel/arch/i386/address-space.ts';
import { Pte, walkUser } from '../../kernel/arch/i386/paging.ts';
import { E } from '../../kernel/errno.ts';
import { NO_TLB } from '../../kernel/mm/address-space.ts';
import { FrameAllocator } from '../../kernel/mm/frames.ts';
import { PhysicalMemory } from '../../kernel/mm/phys.ts';
import { copyFromUser, copyStringFromUser, copyToUser } from '../../kernel/mm/uaccess.ts';

const RAM = 8 * 1024 * 1024;

function setup() {
  const mem = new PhysicalMemory(new Uint8Array(RAM));
  const frames = new FrameAllocator(mem, [{ base: 0, length: 0x9fc00, type: 1 }, { base: 0x100000, length: RAM - 0x100000, type: 1 }], [{ base: 0x100000, length: 0x100000 }]);
  const kdir = createKernelDirectory(mem, frames)!;
  const space = I386AddressSpace.create(mem, frames, NO_TLB, kdir)!;
  return { mem, frames, kdir, space };
}

describe('frame allocator', () => {
  it('hands out only available, unreserved frames, lowest first, zeroed', () => {
    const mem = new PhysicalMemory(new Uint8Array(RAM).fill(0xaa));
    const frames = new FrameAllocator(mem, [{ base: 0, length: 0x9fc00, type: 1 }, { base: 0x9fc00, length: 0x400, type: 2 }, { base: 0x100000, length: RAM - 0x100000, type: 1 }], [{ base: 0x100000, length: 0x10000 }]);
    // Frames 1..0x9e (0x9f is cut by the reserved EBDA) and 0x110..0x7ff; frame 0 is never used.
    expect(frames.totalCount).toBe(0x9e + (0x800 - 0x110));
    const first = frames.alloc()!;
    expect(first).toBe(0x1000);
    expect(mem.bytes.subarray(first, first + 4096).every((b) => b === 0)).toBe(true);
    frames.unref(first);
    expect(frames.freeCount).toBe(frames.totalCount);
  });

  it('keeps a shared frame until its last reference goes', () => {
    const { frames } = setup();
    const before = frames.freeCount;
    const f = frames.alloc()!;
    frames.ref(f);
    frames.unref(f);
    expect(frames.freeCount).toBe(before - 1);
    frames.unref(f);
    expect(frames.freeCount).toBe(before);
    expect(() => frames.unref(f)).toThrow(/freed twice/);
  });
});

describe('i386 page walk', () => {
  it('shares the kernel half as supervisor-only 4 MiB pages', () => {
    const { mem, space } = setup();
    const w = walkUser(mem, space.root, KERNEL_BASE + 0x1234, false, true);
    expect(w.fault).toBe('supervisor');
    expect(w.pa).toBe(0x1234);
    expect(space.probe(KERNEL_BASE, false)).toBe(-1);
  });

  it('needs U/S and R/W at both levels for user writes, and honours 4 MiB user pages only with PSE', () => {
    const { mem, space, frames } = setup();
    space.mapZeroed(0x400000, 4096, true);
    const pdeAddr = space.root + 1 * 4;
    const pde = mem.read32(pdeAddr);
    expect(walkUser(mem, space.root, 0x400010, true, true).fault).toBeNull();
    mem.write32(pdeAddr, pde & ~Pte.RW);
    expect(walkUser(mem, space.root, 0x400010, true, true).fault).toBe('read-only');
    expect(walkUser(mem, space.root, 0x400010, false, true).fault).toBeNull();
    mem.write32(pdeAddr, pde & ~Pte.US);
    expect(walkUser(mem, space.root, 0x400010, false, true).fault).toBe('supervisor');
    mem.write32(pdeAddr, pde);
    // A hand-made 4 MiB user page at 8 MiB mapping physical 4 MiB.
    const big = frames.alloc(); // keep the allocator honest: nothing else maps there
    expect(big).not.toBeNull();
    mem.write32(space.root + 2 * 4, 0x400000 | Pte.P | Pte.RW | Pte.US | Pte.PS);
    const w = walkUser(mem, space.root, 0x812345, false, true);
    expect(w).toMatchObject({ fault: null, pa: 0x412345, pteAddress: -1 });
    // Without CR4.PSE the CPU ignores PS and reads the entry as a page-table pointer.
    expect(walkUser(mem, space.root, 0x812345, false, false).pteAddress).toBe(0x400000 + 0x12 * 4);
    mem.write32(space.root + 2 * 4, 0);
  });
});

describe('user memory access', () => {
  it('copies buffers that straddle pages when every page is valid', () => {
    const { mem, space } = setup();
    space.mapZeroed(0x10000000, 2 * 4096, true);
    const data = Uint8Array.from({ length: 100 }, (_, i) => i + 1);
    expect(copyToUser(mem, space, 0x10000fd0, data)).toBe(0);
    expect(copyFromUser(mem, space, 0x10000fd0, 100)).toEqual(data);
  });

  it('answers EFAULT with no side effect for NULL, unmapped, kernel, read-only outputs, and buffers running into unmapped pages', () => {
    const { mem, space } = setup();
    space.mapZeroed(0x10000000, 4096, true);
    space.mapZeroed(0x20000000, 4096, false);
    const before = mem.bytes.slice();
    const data = new Uint8Array(64).fill(7);
    expect(copyToUser(mem, space, 0, data)).toBe(-E.EFAULT);
    expect(copyToUser(mem, space, 0x30000000, data)).toBe(-E.EFAULT);
    expect(copyToUser(mem, space, KERNEL_BASE, data)).toBe(-E.EFAULT);
    expect(copyToUser(mem, space, KERNEL_BASE - 32, data)).toBe(-E.EFAULT);
    expect(copyToUser(mem, space, 0x20000000, data)).toBe(-E.EFAULT);
    expect(copyToUser(mem, space, 0x10000fe0, data)).toBe(-E.EFAULT);
    expect(copyToUser(mem, space, 0xffffffc0, data)).toBe(-E.EFAULT);
    expect(Buffer.compare(mem.bytes, before)).toBe(0);
    expect(copyFromUser(mem, space, 0x10000ff0, 32)).toBe(-E.EFAULT);
    expect(copyFromUser(mem, space, 0x20000000, 32)).toBeInstanceOf(Uint8Array);
    // The last byte of a page is fine; one byte more is not.
    expect(copyToUser(mem, space, 0x10000fff, new Uint8Array(1))).toBe(0);
    expect(copyToUser(mem, space, 0x10000fff, new Uint8Array(2))).toBe(-E.EFAULT);
  });

  it('sets A on pages read and A+D on pages written, only when the copy happens', () => {
    const { mem, space } = setup();
    space.mapZeroed(0x10000000, 4096, true);
    const pte = () => walkUser(mem, space.root, 0x10000000, false, true).leaf;
    expect(pte() & (Pte.A | Pte.D)).toBe(0);
    copyFromUser(mem, space, 0x10000000, 4);
    expect(pte() & (Pte.A | Pte.D)).toBe(Pte.A);
    copyToUser(mem, space, 0x10000ffe, new Uint8Array(4)); // fails: runs into an unmapped page
    expect(pte() & Pte.D).toBe(0);
    copyToUser(mem, space, 0x10000000, new Uint8Array(4));
    expect(pte() & (Pte.A | Pte.D)).toBe(Pte.A | Pte.D);
  });

  it('reads strings up to a limit, across pages, and fails on an unmapped byte before the NUL', () => {
    const { mem, space } = setup();
    space.mapZeroed(0x10000000, 4096, true);
    copyToUser(mem, space, 0x10000ffa, new TextEncoder().encode('hello!'));
    expect(copyStringFromUser(mem, space, 0x10000ffa, 100)).toBe(-E.EFAULT);
    expect(copyStringFromUser(mem, space, 0x10000ffa, 6)).toBe(-E.ENAMETOOLONG);
    copyToUser(mem, space, 0x10000000, new TextEncoder().encode('/bin/sh\0'));
    expect(copyStringFromUser(mem, space, 0x10000000, 100)).toBe('/bin/sh');
    expect(copyStringFromUser(mem, space, 0x10000000, 4)).toBe(-E.ENAMETOOLONG);
    expect(copyStringFromUser(mem, space, 0, 100)).toBe(-E.EFAULT);
    expect(copyStringFromUser(mem, space, KERNEL_BASE, 100)).toBe(-E.EFAULT);
  });
});

describe('address spaces', () => {
  it('forks copy-on-write: writes after fork are private to each side', () => {
    const { mem, space, frames } = setup();
    space.mapZeroed(0x10000000, 4096, true);
    copyToUser(mem, space, 0x10000000, Uint8Array.of(1, 2, 3));
    const free = frames.freeCount;
    const child = space.fork()!;
    // The child got a directory and one page table, and shares the data frame.
    expect(frames.freeCount).toBe(free - 2);
    expect(space.probe(0x10000000, false)).toBe(child.probe(0x10000000, false));
    expect(copyToUser(mem, child, 0x10000000, Uint8Array.of(9))).toBe(0);
    expect(copyFromUser(mem, space, 0x10000000, 3)).toEqual(Uint8Array.of(1, 2, 3));
    expect(copyFromUser(mem, child, 0x10000000, 3)).toEqual(Uint8Array.of(9, 2, 3));
    // The parent, now the only user of the old frame, writes it in place.
    const old = space.probe(0x10000000, false);
    expect(copyToUser(mem, space, 0x10000001, Uint8Array.of(8))).toBe(0);
    expect(space.probe(0x10000000, false)).toBe(old);
    child.destroy();
    space.destroy();
  });

  it('returns every frame on teardown', () => {
    const { frames, kdir, mem } = setup();
    const start = frames.freeCount;
    const a = I386AddressSpace.create(mem, frames, NO_TLB, kdir)!;
    a.mapZeroed(0x08048000, 5 * 4096, false);
    a.mapZeroed(0xbffe0000, 0x20000, true);
    const b = a.fork()!;
    copyToUser(mem, b, 0xbfff0000, new Uint8Array(10000));
    a.destroy();
    b.destroy();
    expect(frames.freeCount).toBe(start);
  });

  it('leaves nothing behind when mapping runs out of memory', () => {
    const { frames, space } = setup();
    const free = frames.freeCount;
    expect(space.mapZeroed(0x10000000, (free + 10) * 4096, true)).toBe(false);
    expect(space.anyMapped(0x10000000, 4096)).toBe(false);
    space.destroy();
  });
});
