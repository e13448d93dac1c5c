// Writes a linked executable (ET_EXEC): the ELF header and program headers at offset 0, the
// section contents the linker placed, then .symtab, .strtab, .shstrtab and the section header
// table, in the order GNU ld writes them, so that debuggers and crash reports can name code.
import {
  ET_EXEC, PT_NULL, SHT_STRTAB, SHT_SYMTAB, STB_LOCAL, STT_NOTYPE,
} from '../../machine/formats/elf-constants.ts';
import { alignUp, RecordWriter, sizesFor, type ProgramHeaderFields, type SymbolFields } from './records.ts';
import { StringTable } from './string-table.ts';

/** A section header of the executable (contents are already in `ExecutableImage.contents`). */
export interface ExecutableSection {
  name: string;
  type: number;
  flags: number;
  addr: bigint;
  offset: number;
  size: number;
  addralign: number;
}

/** A symbol of the executable; `sectionIndex` counts from 1 over `ExecutableImage.sections`, or is SHN_ABS / SHN_UNDEF. */
export interface ExecutableSymbol {
  name: string;
  value: bigint;
  size: bigint;
  binding: number;
  type: number;
  sectionIndex: number;
}

export interface ExecutableImage {
  elfClass: 32 | 64;
  machine: number;
  entry: bigint;
  /** Number of program header slots; slots past `segments` are written as PT_NULL. */
  phnum: number;
  segments: ProgramHeaderFields[];
  /** The file from offset 0 to the end of the last section's bytes; the header area is overwritten. */
  contents: Uint8Array;
  sections: ExecutableSection[];
  /** Local symbols first (STT_FILE and the locals of each object), then the globals. */
  symbols: ExecutableSymbol[];
}

/** The bytes of the executable; every offset in `image` must lie inside `image.contents`. */
export function writeElfExecutable(image: ExecutableImage): Uint8Array {
  const sizes = sizesFor(image.elfClass);
  const word = image.elfClass === 64 ? 8 : 4;
  const strings = new StringTable();
  const symbols: SymbolFields[] = [{ name: 0, value: 0n, size: 0n, binding: STB_LOCAL, type: STT_NOTYPE, sectionIndex: 0 }];
  for (const s of image.symbols) symbols.push({ ...s, name: strings.add(s.name) });
  const firstGlobal = symbols.findIndex((s, i) => i > 0 && s.binding !== STB_LOCAL);
  const strtab = strings.bytes();

  const names = new StringTable();
  const sectionNames = image.sections.map((s) => names.add(s.name));
  const symtabName = names.add('.symtab');
  const strtabName = names.add('.strtab');
  const shstrtabName = names.add('.shstrtab');
  const shstrtab = names.bytes();

  const symtabOffset = alignUp(image.contents.length, word);
  const strtabOffset = symtabOffset + symbols.length * sizes.sym;
  const shstrtabOffset = strtabOffset + strtab.length;
  const shoff = alignUp(shstrtabOffset + shstrtab.length, word);
  const shnum = image.sections.length + 4;
  const out = new Uint8Array(shoff + shnum * sizes.shdr);
  out.set(image.contents, 0);
  out.set(strtab, strtabOffset);
  out.set(shstrtab, shstrtabOffset);
  const w = new RecordWriter(out, image.elfClass);
  symbols.forEach((s, i) => w.symbol(symtabOffset + i * sizes.sym, s));

  w.header({
    type: ET_EXEC, machine: image.machine, entry: image.entry, phoff: sizes.ehdr, phnum: image.phnum, shoff, shnum,
    shstrndx: shnum - 1,
  });
  for (let i = 0; i < image.phnum; i++) {
    const p = image.segments[i] ?? { type: PT_NULL, flags: 0, offset: 0, vaddr: 0n, paddr: 0n, filesz: 0, memsz: 0n, align: 0n };
    w.programHeader(sizes.ehdr + i * sizes.phdr, p);
  }
  const at = (index: number) => shoff + index * sizes.shdr;
  image.sections.forEach((s, i) => w.sectionHeader(at(i + 1), {
    name: sectionNames[i]!, type: s.type, flags: s.flags, addr: s.addr, offset: s.offset, size: s.size, link: 0, info: 0,
    addralign: s.addralign, entsize: 0,
  }));
  const symtabIndex = image.sections.length + 1;
  w.sectionHeader(at(symtabIndex), {
    name: symtabName, type: SHT_SYMTAB, flags: 0, addr: 0n, offset: symtabOffset, size: symbols.length * sizes.sym,
    link: symtabIndex + 1, info: firstGlobal < 0 ? symbols.length : firstGlobal, addralign: word, entsize: sizes.sym,
  });
  w.sectionHeader(at(symtabIndex + 1), {
    name: strtabName, type: SHT_STRTAB, flags: 0, addr: 0n, offset: strtabOffset, size: strtab.length, link: 0, info: 0, addralign: 1, entsize: 0,
  });
  w.sectionHeader(at(symtabIndex + 2), {
    name: shstrtabName, type: SHT_STRTAB, flags: 0, addr: 0n, offset: shstrtabOffset, size: shstrtab.length, link: 0, info: 0, addralign: 1, entsize: 0,
  });
  return out;
}

