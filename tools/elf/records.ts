// Encoders for the fixed ELF records in both classes, writing little-endian into a DataView.
import {
  ELF32_SIZES, ELF64_SIZES, ELF_MAGIC, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, ELFOSABI_SYSV, EV_CURRENT,
} from '../../machine/formats/elf-constants.ts';
import type { ElfProgramHeader, ElfSectionHeader } from '../../machine/formats/elf-types.ts';

/** Record sizes for one class. */
export type ElfSizes = typeof ELF32_SIZES | typeof ELF64_SIZES;

/** The record sizes of an ELF class. */
export function sizesFor(elfClass: 32 | 64): ElfSizes {
  return elfClass === 64 ? ELF64_SIZES : ELF32_SIZES;
}

export interface HeaderFields {
  type: number;
  machine: number;
  entry: bigint;
  phoff: number;
  phnum: number;
  shoff: number;
  shnum: number;
  shstrndx: number;
}

/** A section header as written: the reader's view, with sh_name an offset into .shstrtab. */
export type SectionHeaderFields = Omit<ElfSectionHeader, 'index' | 'name'> & { name: number };

/** A program header as written: the reader's view without its table position. */
export type ProgramHeaderFields = Omit<ElfProgramHeader, 'index'>;

export interface SymbolFields {
  name: number;
  value: bigint;
  size: bigint;
  binding: number;
  type: number;
  sectionIndex: number;
}

/** Writes records of one class into one buffer. */
export class RecordWriter {
  readonly view: DataView;
  readonly sizes: ElfSizes;
  constructor(readonly bytes: Uint8Array, readonly elfClass: 32 | 64) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.sizes = sizesFor(elfClass);
  }

  /** A target word: 4 bytes in ELF32 (truncated modulo 2^32), 8 in ELF64. */
  private word(at: number, value: bigint | number): void {
    if (this.elfClass === 64) this.view.setBigUint64(at, BigInt.asUintN(64, BigInt(value)), true);
    else this.view.setUint32(at, Number(BigInt.asUintN(32, BigInt(value))), true);
  }

  /** The ELF header at offset 0. */
  header(h: HeaderFields): void {
    const v = this.view;
    this.bytes.set(ELF_MAGIC, 0);
    v.setUint8(4, this.elfClass === 64 ? ELFCLASS64 : ELFCLASS32);
    v.setUint8(5, ELFDATA2LSB);
    v.setUint8(6, EV_CURRENT);
    v.setUint8(7, ELFOSABI_SYSV);
    v.setUint16(16, h.type, true);
    v.setUint16(18, h.machine, true);
    v.setUint32(20, EV_CURRENT, true);
    const w = this.elfClass === 64 ? 8 : 4;
    this.word(24, h.entry);
    this.word(24 + w, h.phoff);
    this.word(24 + 2 * w, h.shoff);
    const at = 24 + 3 * w;
    v.setUint32(at, 0, true);
    v.setUint16(at + 4, this.sizes.ehdr, true);
    v.setUint16(at + 6, h.phnum > 0 ? this.sizes.phdr : 0, true);
    v.setUint16(at + 8, h.phnum, true);
    v.setUint16(at + 10, this.sizes.shdr, true);
    v.setUint16(at + 12, h.shnum, true);
    v.setUint16(at + 14, h.shstrndx, true);
  }

  sectionHeader(at: number, s: SectionHeaderFields): void {
    const w = this.elfClass === 64 ? 8 : 4;
    this.view.setUint32(at, s.name, true);
    this.view.setUint32(at + 4, s.type, true);
    this.word(at + 8, s.flags);
    this.word(at + 8 + w, s.addr);
    this.word(at + 8 + 2 * w, s.offset);
    this.word(at + 8 + 3 * w, s.size);
    this.view.setUint32(at + 8 + 4 * w, s.link, true);
    this.view.setUint32(at + 12 + 4 * w, s.info, true);
    this.word(at + 16 + 4 * w, s.addralign);
    this.word(at + 16 + 5 * w, s.entsize);
  }

  programHeader(at: number, p: ProgramHeaderFields): void {
    const v = this.view;
    v.setUint32(at, p.type, true);
    if (this.elfClass === 64) {
      v.setUint32(at + 4, p.flags, true);
      this.word(at + 8, p.offset);
      this.word(at + 16, p.vaddr);
      this.word(at + 24, p.paddr);
      this.word(at + 32, p.filesz);
      this.word(at + 40, p.memsz);
      this.word(at + 48, p.align);
    } else {
      this.word(at + 4, p.offset);
      this.word(at + 8, p.vaddr);
      this.word(at + 12, p.paddr);
      this.word(at + 16, p.filesz);
      this.word(at + 20, p.memsz);
      v.setUint32(at + 24, p.flags, true);
      this.word(at + 28, p.align);
    }
  }

  symbol(at: number, s: SymbolFields): void {
    const v = this.view;
    const info = (s.binding << 4) | s.type;
    v.setUint32(at, s.name, true);
    if (this.elfClass === 64) {
      v.setUint8(at + 4, info);
      v.setUint8(at + 5, 0);
      v.setUint16(at + 6, s.sectionIndex, true);
      this.word(at + 8, s.value);
      this.word(at + 16, s.size);
    } else {
      this.word(at + 4, s.value);
      this.word(at + 8, s.size);
      v.setUint8(at + 12, info);
      v.setUint8(at + 13, 0);
      v.setUint16(at + 14, s.sectionIndex, true);
    }
  }

  /** An Elf32_Rel (implicit addend) or Elf64_Rela entry. */
  relocation(at: number, offset: bigint, symbolIndex: number, type: number, addend: bigint): void {
    if (this.elfClass === 64) {
      this.word(at, offset);
      this.view.setUint32(at + 8, type, true);
      this.view.setUint32(at + 12, symbolIndex, true);
      this.view.setBigInt64(at + 16, addend, true);
    } else {
      this.word(at, offset);
      this.view.setUint32(at + 4, ((symbolIndex << 8) | type) >>> 0, true);
    }
  }
}

/** Writes `value` modulo 2^(8*size) little-endian at `at`. */
export function writeField(bytes: Uint8Array, at: number, size: number, value: bigint): void {
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    bytes[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** Reads a little-endian field of `size` bytes as a signed value. */
export function readSignedField(bytes: Uint8Array, at: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]!);
  return BigInt.asIntN(size * 8, v);
}

/** `value` rounded up to a multiple of `align` (a power of two, or 0/1 for none). */
export function alignUp(value: number, align: number): number {
  return align > 1 ? Math.ceil(value / align) * align : value;
}
