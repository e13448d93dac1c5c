// Parses ELF32 and ELF64 little-endian files (x86 and anything else with the same layout),
// checking every offset and count against the file so that malformed input becomes an
// ElfFormatError with a precise message instead of a RangeError from deep inside.
import {
  ELF32_SIZES, ELF64_SIZES, ELF_MAGIC, ELFCLASS32, ELFCLASS64, ELFDATA2LSB, EM_386, EM_X86_64, ET_DYN, ET_EXEC,
  ET_REL, EV_CURRENT, SHN_LORESERVE, SHN_XINDEX, SHT_NOBITS, SHT_REL, SHT_RELA, SHT_STRTAB, SHT_SYMTAB,
} from './elf-constants.ts';
import { ElfFormatError, hex } from './elf-error.ts';
import type {
  ElfFile, ElfHeader, ElfProgramHeader, ElfRelocation, ElfRelocationSection, ElfSectionHeader, ElfSymbol,
} from './elf-types.ts';

/** What the caller requires of the file; a mismatch is an ElfFormatError naming both sides. */
export interface ElfExpectation {
  elfClass?: 32 | 64;
  machine?: number;
  type?: number;
}

/** The outcome of tryReadElf: the parsed file, or the reason it was rejected. */
export type ElfReadResult = { ok: true; file: ElfFile } | { ok: false; error: string };

const utf8 = new TextDecoder();

const MACHINE_NAMES: Record<number, string> = { [EM_386]: 'EM_386', [EM_X86_64]: 'EM_X86_64' };
const TYPE_NAMES: Record<number, string> = { [ET_REL]: 'ET_REL (relocatable)', [ET_EXEC]: 'ET_EXEC (executable)', [ET_DYN]: 'ET_DYN (shared object)' };

function machineName(machine: number): string {
  return `${MACHINE_NAMES[machine] ?? 'machine'} (${machine})`;
}

function typeName(type: number): string {
  return TYPE_NAMES[type] ?? `type ${type}`;
}

/** Little-endian reads that fail with the name of the record being read. */
class Reader {
  readonly view: DataView;
  constructor(readonly bytes: Uint8Array, readonly is64: boolean) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Checks that [offset, offset+length) lies inside the file. */
  need(offset: number, length: number, what: string): void {
    if (offset < 0 || length < 0 || offset + length > this.bytes.length) {
      throw new ElfFormatError(
        `${what} at bytes ${hex(offset)}-${hex(offset + length)} extends past the end of the file (${hex(this.bytes.length)} bytes)`);
    }
  }

  u8(o: number): number { return this.view.getUint8(o); }
  u16(o: number): number { return this.view.getUint16(o, true); }
  u32(o: number): number { return this.view.getUint32(o, true); }
  u64(o: number): bigint { return this.view.getBigUint64(o, true); }
  /** A target-word address: 4 bytes in ELF32, 8 in ELF64. */
  addr(o: number): bigint { return this.is64 ? this.u64(o) : BigInt(this.u32(o)); }

  /** A target-word offset or size that must be a safe JavaScript number. */
  word(o: number, what: string): number {
    const value = this.addr(o);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfFormatError(`${what} ${hex(value)} is too large`);
    return Number(value);
  }
}

/** Parses and checks an ELF file; throws ElfFormatError (never anything else) on malformed input. */
export function readElf(bytes: Uint8Array, expect: ElfExpectation = {}): ElfFile {
  if (bytes.length < 16) throw new ElfFormatError(`truncated ELF file: ${bytes.length} bytes, the identification alone needs 16`);
  if (!ELF_MAGIC.every((b, i) => bytes[i] === b)) {
    const shown = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new ElfFormatError(`not an ELF file: bad magic ${shown} (expected 7f 45 4c 46)`);
  }
  const elfClass = bytes[4] === ELFCLASS32 ? 32 : bytes[4] === ELFCLASS64 ? 64 : null;
  if (elfClass === null) throw new ElfFormatError(`bad ELF class ${bytes[4]} (expected 1 for ELF32 or 2 for ELF64)`);
  if (bytes[5] !== ELFDATA2LSB) throw new ElfFormatError(`unsupported data encoding ${bytes[5]}: only little-endian (1) is supported`);
  if (bytes[6] !== EV_CURRENT) throw new ElfFormatError(`bad ELF identification version ${bytes[6]} (expected 1)`);
  if (expect.elfClass !== undefined && expect.elfClass !== elfClass) {
    throw new ElfFormatError(`wrong ELF class: ELF${elfClass}, expected ELF${expect.elfClass}`);
  }
  const r = new Reader(bytes, elfClass === 64);
  const header = readHeader(r, elfClass);
  if (expect.machine !== undefined && expect.machine !== header.machine) {
    throw new ElfFormatError(`wrong machine: ${machineName(header.machine)}, expected ${machineName(expect.machine)}`);
  }
  if (expect.type !== undefined && expect.type !== header.type) {
    throw new ElfFormatError(`wrong file type: ${typeName(header.type)}, expected ${typeName(expect.type)}`);
  }
  const programHeaders = readProgramHeaders(r, header);
  const sections = readSections(r, header);
  const symtabs = sections.filter((s) => s.type === SHT_SYMTAB);
  if (symtabs.length > 1) throw new ElfFormatError(`more than one symbol table (sections ${symtabs.map((s) => s.index).join(', ')})`);
  const symtab = symtabs[0];
  const symbols = symtab ? readSymbols(r, sections, symtab) : [];
  const relocationSections = sections
    .filter((s) => s.type === SHT_REL || s.type === SHT_RELA)
    .map((s) => readRelocations(r, sections, s, symtab, symbols.length));
  return { header, programHeaders, sections, symtabIndex: symtab?.index ?? 0, symbols, relocationSections, bytes };
}

/** Like readElf, but reports a malformed file as a value. */
export function tryReadElf(bytes: Uint8Array, expect: ElfExpectation = {}): ElfReadResult {
  try {
    return { ok: true, file: readElf(bytes, expect) };
  } catch (error) {
    if (error instanceof ElfFormatError) return { ok: false, error: error.message };
    throw error;
  }
}

function readHeader(r: Reader, elfClass: 32 | 64): ElfHeader {
  const sizes = elfClass === 64 ? ELF64_SIZES : ELF32_SIZES;
  if (r.bytes.length < sizes.ehdr) {
    throw new ElfFormatError(`truncated ELF file: ${r.bytes.length} bytes, the ELF${elfClass} file header needs ${sizes.ehdr}`);
  }
  const w = elfClass === 64 ? 8 : 4;
  const at = 24 + 3 * w;
  const header: ElfHeader = {
    elfClass,
    osAbi: r.u8(7),
    type: r.u16(16),
    machine: r.u16(18),
    version: r.u32(20),
    entry: r.addr(24),
    phoff: r.word(24 + w, 'program header table offset'),
    shoff: r.word(24 + 2 * w, 'section header table offset'),
    flags: r.u32(at),
    ehsize: r.u16(at + 4),
    phentsize: r.u16(at + 6),
    phnum: r.u16(at + 8),
    shentsize: r.u16(at + 10),
    shnum: r.u16(at + 12),
    shstrndx: r.u16(at + 14),
  };
  if (header.version !== EV_CURRENT) throw new ElfFormatError(`bad ELF version ${header.version} (expected 1)`);
  if (header.phnum > 0 && header.phentsize < sizes.phdr) {
    throw new ElfFormatError(`program header entry size ${header.phentsize} is smaller than ${sizes.phdr}`);
  }
  if (header.shoff !== 0 && header.shentsize < sizes.shdr) {
    throw new ElfFormatError(`section header entry size ${header.shentsize} is smaller than ${sizes.shdr}`);
  }
  if (header.shoff !== 0 && (header.shnum === 0 || header.shstrndx === SHN_XINDEX)) {
    // Extended numbering: the real counts live in section 0 (gABI, "Section Header Table").
    r.need(header.shoff, sizes.shdr, 'section header 0');
    if (header.shnum === 0) header.shnum = r.word(header.shoff + 8 + 3 * w, 'section count');
    if (header.shstrndx === SHN_XINDEX) header.shstrndx = r.u32(header.shoff + 8 + 4 * w);
  }
  return header;
}

function readProgramHeaders(r: Reader, h: ElfHeader): ElfProgramHeader[] {
  if (h.phnum === 0) return [];
  r.need(h.phoff, h.phnum * h.phentsize, `program header table (${h.phnum} entries of ${h.phentsize} bytes)`);
  const result: ElfProgramHeader[] = [];
  for (let i = 0; i < h.phnum; i++) {
    const o = h.phoff + i * h.phentsize;
    const p: ElfProgramHeader = r.is64
      ? {
        index: i, type: r.u32(o), flags: r.u32(o + 4), offset: r.word(o + 8, 'segment offset'), vaddr: r.u64(o + 16),
        paddr: r.u64(o + 24), filesz: r.word(o + 32, 'segment file size'), memsz: r.u64(o + 40), align: r.u64(o + 48),
      }
      : {
        index: i, type: r.u32(o), offset: r.u32(o + 4), vaddr: BigInt(r.u32(o + 8)), paddr: BigInt(r.u32(o + 12)),
        filesz: r.u32(o + 16), memsz: BigInt(r.u32(o + 20)), flags: r.u32(o + 24), align: BigInt(r.u32(o + 28)),
      };
    // A segment with no file bytes (all bss) may point anywhere: a loader reads nothing there.
    if (p.filesz > 0) r.need(p.offset, p.filesz, `segment ${i} contents`);
    if (BigInt(p.filesz) > p.memsz) {
      throw new ElfFormatError(`segment ${i}: file size ${hex(p.filesz)} exceeds memory size ${hex(p.memsz)}`);
    }
    result.push(p);
  }
  return result;
}

function readSections(r: Reader, h: ElfHeader): ElfSectionHeader[] {
  if (h.shoff === 0 || h.shnum === 0) return [];
  r.need(h.shoff, h.shnum * h.shentsize, `section header table (${h.shnum} entries of ${h.shentsize} bytes)`);
  const w = r.is64 ? 8 : 4;
  const raw = [];
  for (let i = 0; i < h.shnum; i++) {
    const o = h.shoff + i * h.shentsize;
    const s = {
      index: i, nameOffset: r.u32(o), type: r.u32(o + 4), flags: r.word(o + 8, 'section flags'), addr: r.addr(o + 8 + w),
      offset: r.word(o + 8 + 2 * w, 'section offset'), size: r.word(o + 8 + 3 * w, 'section size'),
      link: r.u32(o + 8 + 4 * w), info: r.u32(o + 12 + 4 * w), addralign: r.word(o + 16 + 4 * w, 'section alignment'),
      entsize: r.word(o + 16 + 5 * w, 'section entry size'),
    };
    if (i > 0 && s.type !== SHT_NOBITS) r.need(s.offset, s.size, `section ${i} contents`);
    raw.push(s);
  }
  if (h.shstrndx === 0 || h.shstrndx >= h.shnum) {
    throw new ElfFormatError(`section name table index ${h.shstrndx} is not a section (the file has ${h.shnum})`);
  }
  const names = raw[h.shstrndx]!;
  if (names.type !== SHT_STRTAB) throw new ElfFormatError(`section name table (section ${h.shstrndx}) is not a string table`);
  return raw.map(({ nameOffset, ...s }) => ({ ...s, name: readString(r, names, nameOffset, `name of section ${s.index}`) }));
}

/** The NUL-terminated string at `offset` in a string table section. */
function readString(r: Reader, table: { index: number; offset: number; size: number }, offset: number, what: string): string {
  if (offset >= table.size) {
    if (offset === 0) return '';
    throw new ElfFormatError(`${what}: string offset ${hex(offset)} is outside string table section ${table.index} (${table.size} bytes)`);
  }
  const start = table.offset + offset;
  const end = r.bytes.indexOf(0, start);
  if (end < 0 || end >= table.offset + table.size) {
    throw new ElfFormatError(`${what}: string at offset ${hex(offset)} of section ${table.index} is not NUL-terminated`);
  }
  return utf8.decode(r.bytes.subarray(start, end));
}

function checkedTable(sections: ElfSectionHeader[], section: ElfSectionHeader, entrySize: number, what: string): number {
  if (section.entsize !== entrySize) {
    throw new ElfFormatError(`${what} (section ${section.index}) has entry size ${section.entsize}, expected ${entrySize}`);
  }
  if (section.size % entrySize !== 0) {
    throw new ElfFormatError(`${what} (section ${section.index}) size ${section.size} is not a multiple of ${entrySize}`);
  }
  if (section.link >= sections.length) {
    throw new ElfFormatError(`${what} (section ${section.index}) links to section ${section.link}, which does not exist`);
  }
  return section.size / entrySize;
}

function readSymbols(r: Reader, sections: ElfSectionHeader[], symtab: ElfSectionHeader): ElfSymbol[] {
  const sizes = r.is64 ? ELF64_SIZES : ELF32_SIZES;
  const count = checkedTable(sections, symtab, sizes.sym, 'symbol table');
  const strtab = sections[symtab.link]!;
  if (strtab.type !== SHT_STRTAB) throw new ElfFormatError(`symbol table's string table (section ${strtab.index}) is not a string table`);
  if (symtab.info > count) throw new ElfFormatError(`symbol table's first global index ${symtab.info} exceeds its ${count} entries`);
  const symbols: ElfSymbol[] = [];
  for (let i = 0; i < count; i++) {
    const o = symtab.offset + i * sizes.sym;
    const nameOffset = r.u32(o);
    const [info, other, shndx, value, size] = r.is64
      ? [r.u8(o + 4), r.u8(o + 5), r.u16(o + 6), r.u64(o + 8), r.u64(o + 16)]
      : [r.u8(o + 12), r.u8(o + 13), r.u16(o + 14), BigInt(r.u32(o + 4)), BigInt(r.u32(o + 8))];
    if (shndx === SHN_XINDEX) throw new ElfFormatError(`symbol ${i} uses an extended section index (SHT_SYMTAB_SHNDX is not supported)`);
    if (shndx < SHN_LORESERVE && shndx >= sections.length) {
      throw new ElfFormatError(`symbol ${i} is defined in section ${shndx}, which does not exist`);
    }
    symbols.push({
      index: i, name: readString(r, strtab, nameOffset, `name of symbol ${i}`), nameOffset, value, size,
      binding: info >> 4, type: info & 0xf, other, sectionIndex: shndx,
    });
  }
  return symbols;
}

function readRelocations(
  r: Reader, sections: ElfSectionHeader[], section: ElfSectionHeader, symtab: ElfSectionHeader | undefined, symbolCount: number,
): ElfRelocationSection {
  const sizes = r.is64 ? ELF64_SIZES : ELF32_SIZES;
  const explicitAddends = section.type === SHT_RELA;
  const what = `relocation section ${section.name}`;
  const count = checkedTable(sections, section, explicitAddends ? sizes.rela : sizes.rel, what);
  if (section.info === 0 || section.info >= sections.length) {
    throw new ElfFormatError(`${what} (section ${section.index}) applies to section ${section.info}, which does not exist`);
  }
  if (count > 0 && (symtab === undefined || section.link !== symtab.index)) {
    throw new ElfFormatError(`${what} (section ${section.index}) links to section ${section.link}, which is not the symbol table`);
  }
  const w = r.is64 ? 8 : 4;
  const entries: ElfRelocation[] = [];
  for (let i = 0; i < count; i++) {
    const o = section.offset + i * (explicitAddends ? sizes.rela : sizes.rel);
    const offset = r.addr(o);
    let type: number;
    let symbolIndex: number;
    if (r.is64) {
      type = r.u32(o + 8);
      symbolIndex = r.u32(o + 12);
    } else {
      const info = r.u32(o + 4);
      type = info & 0xff;
      symbolIndex = info >>> 8;
    }
    if (symbolIndex >= symbolCount) {
      throw new ElfFormatError(`${what} entry ${i} refers to symbol ${symbolIndex}, but the symbol table has ${symbolCount}`);
    }
    const addend = explicitAddends ? (r.is64 ? r.view.getBigInt64(o + 2 * w, true) : BigInt(r.view.getInt32(o + 2 * w, true))) : null;
    entries.push({ offset, type, symbolIndex, addend });
  }
  return { section, targetIndex: section.info, symtabIndex: section.link, explicitAddends, entries };
}
