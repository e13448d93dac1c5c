// The Multiboot v1 information structure the boot loader hands the kernel in EBX: memory
// sizes, the command line, the modules, the BIOS-style memory map and the loader's name.
import { BootImageError } from './multiboot-header.ts';
import type { LoadSegment } from './multiboot-load.ts';

/** Physical address of the info block: low memory, above the IVT and BIOS data area. */
export const INFO_ADDRESS = 0x9000;
/** The block must end below the extended BIOS data area at 0x9fc00. */
const INFO_LIMIT = 0x9fc00;

/** Bits of the info structure's flags word saying which fields are valid. */
export const InfoFlag = {
  Memory: 1 << 0,
  CommandLine: 1 << 2,
  Modules: 1 << 3,
  MemoryMap: 1 << 6,
  LoaderName: 1 << 9,
} as const;

/** Memory map entry types. */
export const MemoryType = { Available: 1, Reserved: 2 } as const;

/** A module as the kernel sees it in the module list. */
export interface BootModule {
  segment: LoadSegment;
  commandLine: string;
}

/** What the info structure describes. */
export interface BootInfoInput {
  ramBytes: number;
  commandLine: string;
  modules: readonly BootModule[];
  loaderName: string;
}

/** The memory map of this PC: conventional memory, the reserved hole, extended memory, the top ROM. */
export function memoryMap(ramBytes: number): { base: number; length: number; type: number }[] {
  return [
    { base: 0, length: 0x9fc00, type: MemoryType.Available },
    { base: 0x9fc00, length: 0x400, type: MemoryType.Reserved },
    { base: 0xf0000, length: 0x10000, type: MemoryType.Reserved },
    { base: 0x100000, length: ramBytes - 0x100000, type: MemoryType.Available },
    { base: 0xfffc0000, length: 0x40000, type: MemoryType.Reserved },
  ];
}

const STRUCT_BYTES = 88;
const MODULE_ENTRY_BYTES = 16;
const MMAP_ENTRY_BYTES = 24;

/** Lays out the info block at INFO_ADDRESS; the result is one segment for the loader to copy. */
export function buildBootInfo(input: BootInfoInput): LoadSegment {
  const encoder = new TextEncoder();
  const strings: Uint8Array[] = [];
  const map = memoryMap(input.ramBytes);
  let cursor = INFO_ADDRESS + STRUCT_BYTES;
  const modulesAt = cursor;
  cursor += input.modules.length * MODULE_ENTRY_BYTES;
  const mmapAt = cursor;
  cursor += map.length * MMAP_ENTRY_BYTES;
  const stringAt = (text: string): number => {
    const encoded = encoder.encode(`${text}\0`);
    const address = cursor;
    strings.push(encoded);
    cursor += encoded.byteLength;
    return address;
  };
  const commandLine = stringAt(input.commandLine);
  const loaderName = stringAt(input.loaderName);
  const moduleStrings = input.modules.map((module) => stringAt(module.commandLine));
  if (cursor > INFO_LIMIT) {
    throw new BootImageError(`the Multiboot command lines are too long for the info area (${cursor - INFO_ADDRESS} bytes)`);
  }

  const block = new Uint8Array(cursor - INFO_ADDRESS);
  const view = new DataView(block.buffer);
  const put32 = (address: number, value: number): void => view.setUint32(address - INFO_ADDRESS, value >>> 0, true);
  put32(INFO_ADDRESS, InfoFlag.Memory | InfoFlag.CommandLine | InfoFlag.Modules | InfoFlag.MemoryMap | InfoFlag.LoaderName);
  put32(INFO_ADDRESS + 4, 640);
  put32(INFO_ADDRESS + 8, (input.ramBytes - 0x100000) / 1024);
  put32(INFO_ADDRESS + 16, commandLine);
  put32(INFO_ADDRESS + 20, input.modules.length);
  put32(INFO_ADDRESS + 24, modulesAt);
  put32(INFO_ADDRESS + 44, map.length * MMAP_ENTRY_BYTES);
  put32(INFO_ADDRESS + 48, mmapAt);
  put32(INFO_ADDRESS + 64, loaderName);
  input.modules.forEach((module, index) => {
    const entry = modulesAt + index * MODULE_ENTRY_BYTES;
    put32(entry, module.segment.address);
    put32(entry + 4, module.segment.address + module.segment.data.byteLength);
    put32(entry + 8, moduleStrings[index]);
  });
  map.forEach((region, index) => {
    const entry = mmapAt + index * MMAP_ENTRY_BYTES;
    // `size` counts the bytes after itself, so a walker adds size + 4 to reach the next entry.
    put32(entry, MMAP_ENTRY_BYTES - 4);
    put32(entry + 4, region.base);
    put32(entry + 8, 0);
    put32(entry + 12, region.length);
    put32(entry + 16, 0);
    put32(entry + 20, region.type);
  });
  let offset = cursor - INFO_ADDRESS - strings.reduce((sum, s) => sum + s.byteLength, 0);
  for (const encoded of strings) {
    block.set(encoded, offset);
    offset += encoded.byteLength;
  }
  return { address: INFO_ADDRESS, data: block, zeroBytes: 0, what: 'Multiboot info structure' };
}
