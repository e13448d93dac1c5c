// i386 memory bring-up from the Multiboot information: the frame allocator over the RAM the
// memory map reports (minus low memory, the kernel image and the modules), the kernel's page
// directory, and the factory of process address spaces.
import type { MultibootInfo } from '../../boot/multiboot.ts';
import type { AddressSpace, TlbHooks } from '../../mm/address-space.ts';
import { FrameAllocator, type MemoryRegion, type ReservedRange } from '../../mm/frames.ts';
import type { PhysicalMemory } from '../../mm/phys.ts';
import { createKernelDirectory, I386AddressSpace } from './address-space.ts';

/** What the kernel's memory management starts from. */
export interface I386Memory {
  readonly frames: FrameAllocator;
  /** Physical address of the kernel's page directory (CR3 while no process runs). */
  readonly kernelDirectory: number;
  readonly newSpace: () => AddressSpace | null;
}

/**
 * Sets up physical memory management. Reserved: the first MiB (IVT, BIOS data, the Multiboot
 * info, the EBDA and ROMs), [imageStart, imageEnd) of the kernel image, and every module.
 * Without a memory map, mem_lower/mem_upper describe RAM. Returns null when no frame is left
 * for the kernel directory.
 */
export function setupI386Memory(mem: PhysicalMemory, info: MultibootInfo, imageStart: number, imageEnd: number, tlb: TlbHooks): I386Memory | null {
  const regions: MemoryRegion[] = info.memoryMap.length > 0
    ? [...info.memoryMap]
    : [{ base: 0, length: info.memLowerKb * 1024, type: 1 }, { base: 0x100000, length: info.memUpperKb * 1024, type: 1 }];
  const reserved: ReservedRange[] = [
    { base: 0, length: 0x100000 },
    { base: imageStart, length: imageEnd - imageStart },
    ...info.modules.map((m) => ({ base: m.start, length: m.end - m.start })),
  ];
  const frames = new FrameAllocator(mem, regions, reserved);
  const kernelDirectory = createKernelDirectory(mem, frames);
  if (kernelDirectory === null) return null;
  return { frames, kernelDirectory, newSpace: () => I386AddressSpace.create(mem, frames, tlb, kernelDirectory) };
}
