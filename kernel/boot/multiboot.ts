// Reads the Multiboot v1 information structure the boot loader left in guest memory (its
// address arrives in EBX): memory map, modules (the initramfs), command line, loader name.
import type { MemoryRegion } from '../mm/frames.ts';
import type { PhysicalMemory } from '../mm/phys.ts';

/** A module the loader placed in memory. */
export interface MultibootModule {
  readonly start: number;
  readonly end: number;
  readonly commandLine: string;
}

/** The fields of the info structure this kernel uses. */
export interface MultibootInfo {
  readonly flags: number;
  readonly memLowerKb: number;
  readonly memUpperKb: number;
  readonly commandLine: string;
  readonly modules: readonly MultibootModule[];
  readonly memoryMap: readonly MemoryRegion[];
  readonly loaderName: string;
}

/** The info structure is malformed or points outside RAM. */
export class MultibootInfoError extends Error {
  override readonly name = 'MultibootInfoError';
}

const FLAG = { MEMORY: 1 << 0, CMDLINE: 1 << 2, MODS: 1 << 3, MMAP: 1 << 6, LOADER: 1 << 9 } as const;

/** Parses the structure at physical `address`; throws MultibootInfoError naming the bad field. */
export function readMultibootInfo(mem: PhysicalMemory, address: number): MultibootInfo {
  const u32 = (pa: number, what: string): number => {
    if (pa < 0 || pa + 4 > mem.size) throw new MultibootInfoError(`Multiboot ${what} at 0x${pa.toString(16)} is outside RAM (${mem.size} bytes)`);
    return mem.read32(pa);
  };
  const cstring = (pa: number, what: string): string => {
    let s = '';
    for (let at = pa; ; at++) {
      if (at >= mem.size) throw new MultibootInfoError(`Multiboot ${what} at 0x${pa.toString(16)} runs past the end of RAM`);
      const c = mem.bytes[at]!;
      if (c === 0) return s;
      s += String.fromCharCode(c);
    }
  };
  const flags = u32(address, 'flags');
  const has = (bit: number): boolean => (flags & bit) !== 0;
  const modules: MultibootModule[] = [];
  if (has(FLAG.MODS)) {
    const count = u32(address + 20, 'mods_count');
    const at = u32(address + 24, 'mods_addr');
    for (let i = 0; i < count; i++) {
      const entry = at + i * 16;
      const start = u32(entry, `module ${i} start`);
      const end = u32(entry + 4, `module ${i} end`);
      if (end < start || end > mem.size) throw new MultibootInfoError(`Multiboot module ${i} (0x${start.toString(16)}-0x${end.toString(16)}) is not inside RAM`);
      modules.push({ start, end, commandLine: cstring(u32(entry + 8, `module ${i} string`), `module ${i} string`) });
    }
  }
  const memoryMap: MemoryRegion[] = [];
  if (has(FLAG.MMAP)) {
    const length = u32(address + 44, 'mmap_length');
    const at = u32(address + 48, 'mmap_addr');
    for (let entry = at; entry < at + length; ) {
      const size = u32(entry, 'mmap entry size');
      // 64-bit base and length: this kernel addresses below 4 GiB, so regions are clipped there.
      const baseHigh = u32(entry + 8, 'mmap base');
      const lengthHigh = u32(entry + 16, 'mmap length');
      if (baseHigh === 0) {
        const base = u32(entry + 4, 'mmap base');
        const len = lengthHigh === 0 ? u32(entry + 12, 'mmap length') : 2 ** 32 - base;
        memoryMap.push({ base, length: Math.min(len, 2 ** 32 - base), type: u32(entry + 20, 'mmap type') });
      }
      entry += size + 4;
    }
  }
  return {
    flags,
    memLowerKb: has(FLAG.MEMORY) ? u32(address + 4, 'mem_lower') : 0,
    memUpperKb: has(FLAG.MEMORY) ? u32(address + 8, 'mem_upper') : 0,
    commandLine: has(FLAG.CMDLINE) ? cstring(u32(address + 16, 'cmdline'), 'command line') : '',
    modules,
    memoryMap,
    loaderName: has(FLAG.LOADER) ? cstring(u32(address + 64, 'boot_loader_name'), 'loader name') : '',
  };
}
