// The vDSO at boot: the kernel image holds two ELF shared objects built from vdso.asm (one whose
// __kernel_vsyscall uses sysenter, one using int 0x80); the kernel copies the one the CPU can
// run into frames of its own and reads what it needs from its ELF headers: the entry point
// (AT_SYSINFO, __kernel_vsyscall, as Linux links it) and the sysenter landing pad from .dynsym.
import { EM_386, ET_DYN, SHT_DYNSYM } from '../../../machine/formats/elf-constants.ts';
import { tryReadElf } from '../../../machine/formats/elf-reader.ts';
import type { ElfSectionHeader } from '../../../machine/formats/elf-types.ts';
import type { FrameAllocator } from '../../mm/frames.ts';
import { PAGE_SIZE, type PhysicalMemory } from '../../mm/phys.ts';
import type { VdsoImage } from '../../proc/vdso.ts';
import { KERNEL_BASE } from './address-space.ts';
import { symbol, type KernelImage } from './image.ts';

/** Where sysexit and iret return a sysenter call to: the vDSO's landing pad. */
export const LANDING_PAD_SYMBOL = '__kernel_sysenter_return';

/** The offsets of the defined symbols of an ELF32 shared object's .dynsym, by name. */
function dynamicSymbols(bytes: Uint8Array, sections: readonly ElfSectionHeader[]): Map<string, number> {
  const found = new Map<string, number>();
  const dynsym = sections.find((s) => s.type === SHT_DYNSYM);
  const strtab = dynsym ? sections[dynsym.link] : undefined;
  if (!dynsym || !strtab || dynsym.entsize !== 16) return found;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = dynsym.offset + 16; at + 16 <= dynsym.offset + dynsym.size; at += 16) {
    if (view.getUint16(at + 14, true) === 0) continue; // undefined
    const start = strtab.offset + view.getUint32(at, true);
    const end = bytes.indexOf(0, start);
    if (end < 0 || end > strtab.offset + strtab.size) continue;
    found.set(new TextDecoder().decode(bytes.subarray(start, end)), view.getUint32(at + 4, true));
  }
  return found;
}

/**
 * Copies the vDSO for this CPU (`sysenter`: the CPU has a usable SEP) from the kernel image
 * into frames: the image (with its landing pad when it uses sysenter), or a message saying what
 * is wrong with it (no frames then stay allocated).
 */
export function loadVdso(mem: PhysicalMemory, frames: FrameAllocator, kernel: KernelImage, sysenter: boolean): VdsoImage | string {
  const name = sysenter ? 'vdso_sysenter' : 'vdso_int80';
  const pa = symbol(kernel, name) - KERNEL_BASE;
  const bytes = mem.bytes.slice(pa, symbol(kernel, `${name}_end`) - KERNEL_BASE);
  const parsed = tryReadElf(bytes, { elfClass: 32, machine: EM_386, type: ET_DYN });
  if (!parsed.ok) return `the vDSO image ${name} is not an i386 shared object: ${parsed.error}`;
  const entry = Number(parsed.file.header.entry);
  const landingPad = sysenter ? dynamicSymbols(bytes, parsed.file.sections).get(LANDING_PAD_SYMBOL) : undefined;
  if (sysenter && landingPad === undefined) return `the vDSO image ${name} defines no ${LANDING_PAD_SYMBOL}`;
  const taken: number[] = [];
  for (let at = 0; at < bytes.length; at += PAGE_SIZE) {
    const frame = frames.alloc();
    if (frame === null) {
      taken.forEach((f) => frames.unref(f));
      return 'no memory for the vDSO';
    }
    mem.set(frame, bytes.subarray(at, at + PAGE_SIZE));
    taken.push(frame);
  }
  return { frames: taken, entryOffset: entry, isElf: true, ...(landingPad === undefined ? {} : { landingPadOffset: landingPad }) };
}
