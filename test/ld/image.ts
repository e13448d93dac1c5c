// Views of a linked executable for assertions: bytes at an address, symbol addresses, decoded code.
import { Decoder, DecoderOptions, type Instruction } from 'iced-x86';
import { loadableSegments, symbolByName } from '../../machine/formats/elf-access.ts';
import type { ElfFile } from '../../machine/formats/elf-types.ts';

/** Up to `length` bytes of the loaded image at `address`, stopping at the segment's end (bss reads as zero). */
export function bytesAt(file: ElfFile, address: bigint, length: number): Uint8Array {
  for (const { header, data } of loadableSegments(file)) {
    if (address >= header.vaddr && address < header.vaddr + header.memsz) {
      const out = new Uint8Array(Math.min(length, Number(header.vaddr + header.memsz - address)));
      const start = Number(address - header.vaddr);
      out.set(data.subarray(start, Math.min(data.length, start + out.length)));
      return out;
    }
  }
  throw new Error(`address 0x${address.toString(16)} is not loaded`);
}

/** The address of a symbol that must exist. */
export function addressOf(file: ElfFile, name: string): bigint {
  const symbol = symbolByName(file, name);
  if (!symbol) throw new Error(`no symbol ${name}`);
  return symbol.value;
}

/** Decodes `count` instructions starting at the address of `symbol`. */
export function decodeAt(file: ElfFile, symbol: string, count: number): Instruction[] {
  const address = addressOf(file, symbol);
  const bytes = bytesAt(file, address, 15 * count);
  const decoder = new Decoder(file.header.elfClass, bytes, DecoderOptions.None);
  decoder.ip = address;
  const out: Instruction[] = [];
  for (let i = 0; i < count; i++) out.push(decoder.decode());
  decoder.free();
  return out;
}

/** The little-endian unsigned words of `count` entries of `size` bytes at `address`. */
export function wordsAt(file: ElfFile, address: bigint, size: 4 | 8, count: number): bigint[] {
  const bytes = bytesAt(file, address, size * count);
  const view = new DataView(bytes.buffer);
  return Array.from({ length: count }, (_, i) => (size === 8 ? view.getBigUint64(i * 8, true) : BigInt(view.getUint32(i * 4, true))));
}
