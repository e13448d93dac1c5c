// The load of a Multiboot kernel without address fields: an ELF32 executable whose PT_LOAD
// segments go to their physical addresses (p_paddr), entered at e_entry translated to the
// physical address of the segment holding it, as GRUB and QEMU do for higher-half kernels.
import { EM_386, ET_EXEC } from '../formats/elf-constants.ts';
import { loadableSegments } from '../formats/elf-access.ts';
import { tryReadElf } from '../formats/elf-reader.ts';
import { BootImageError } from './multiboot-header.ts';
import type { KernelLoad, LoadSegment } from './multiboot-load.ts';

function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}

/** The load of an ELF32 Multiboot kernel; throws BootImageError for anything else. */
export function planElfLoad(image: Uint8Array): KernelLoad {
  const read = tryReadElf(image, { elfClass: 32, machine: EM_386, type: ET_EXEC });
  if (!read.ok) throw new BootImageError(`Multiboot kernel without address fields must be an ELF32 i386 executable: ${read.error}`);
  const file = read.file;
  const loads = loadableSegments(file).filter((segment) => segment.header.memsz > 0n);
  if (loads.length === 0) throw new BootImageError('Multiboot ELF kernel has no PT_LOAD segment');
  const segments: LoadSegment[] = loads.map((segment, index) => ({
    address: Number(segment.header.paddr),
    data: segment.data,
    zeroBytes: Number(segment.header.memsz) - segment.data.byteLength,
    what: `kernel segment ${index + 1} (p_paddr ${hex(segment.header.paddr)})`,
  }));
  const entry = file.header.entry;
  for (const { header } of loads) {
    if (entry >= header.vaddr && entry < header.vaddr + header.memsz) {
      return { segments, entry: Number(header.paddr + (entry - header.vaddr)) };
    }
  }
  throw new BootImageError(`Multiboot ELF kernel's entry point ${hex(entry)} is in none of its loadable segments`);
}
