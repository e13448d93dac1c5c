// Multiboot v1 boot: checks the kernel image, copies it, its modules and the info structure
// into RAM, and prepares the boot ROM that takes the CPU from the reset vector to the kernel's
// entry in 32-bit protected mode. Every problem is a BootImageError before any guest instruction.
import { findMultibootHeader } from './multiboot-header.ts';
import { buildBootInfo } from './multiboot-info.ts';
import { checkPlacement, planAddressFieldLoad, placeModules, type KernelLoad, type LoadSegment } from './multiboot-load.ts';
import { planElfLoad } from './multiboot-elf.ts';
import { MULTIBOOT_ROM, ROM_ENTRY_OFFSET, ROM_INFO_OFFSET } from './multiboot-rom.generated.ts';

/** A module handed to the kernel, as QEMU's `-initrd "file args,file2"` does. */
export interface MultibootModule {
  data: Uint8Array;
  commandLine: string;
}

/** What to boot. */
export interface MultibootBoot {
  kernel: Uint8Array;
  commandLine?: string;
  modules?: readonly MultibootModule[];
}

/** Everything the PC must place before reset: RAM contents and the boot ROM image. */
export interface MultibootPlan {
  segments: LoadSegment[];
  rom: Uint8Array;
  entry: number;
}

/** Plans a Multiboot boot into `ramBytes` of RAM; throws BootImageError naming what is wrong. */
export function planMultibootBoot(boot: MultibootBoot, ramBytes: number): MultibootPlan {
  const header = findMultibootHeader(boot.kernel);
  const kernel: KernelLoad = header.address ? planAddressFieldLoad(boot.kernel, header) : planElfLoad(boot.kernel);
  const modules = boot.modules ?? [];
  const moduleSegments = placeModules(kernel, modules.map((module) => module.data));
  const info = buildBootInfo({
    ramBytes,
    commandLine: boot.commandLine ?? '',
    modules: moduleSegments.map((segment, index) => ({ segment, commandLine: modules[index].commandLine })),
    loaderName: 'syscall-kit Multiboot loader',
  });
  const segments = [...kernel.segments, ...moduleSegments, info];
  checkPlacement(segments, ramBytes);
  const rom = MULTIBOOT_ROM.slice();
  const view = new DataView(rom.buffer);
  view.setUint32(ROM_ENTRY_OFFSET, kernel.entry >>> 0, true);
  view.setUint32(ROM_INFO_OFFSET, info.address >>> 0, true);
  return { segments, rom, entry: kernel.entry };
}
