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
  /** Local symbols first (STT_FILE and the locals of each object), then the globals; null: no symbol table (ld -s). */
  symbols: ExecutableSymbol[] | null;
}

/** A table written after the loaded contents: .symtab, .strtab or .shstrtab. */
interface Table {
  name: string;
  type: number;
  contents: Uint8Array;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

/** The bytes of the executable; every offset in `image` must lie inside `image.contents`. */
export function writeElfExecutable(image: ExecutableImage): Uint8Array {
  const sizes = sizesFor(image.elfClass);
  const word = image.elfClass === 64 ? 8 : 4;
  const tables: Table[] = [];
  if (image.symbols) {
    const strings = new StringTable();
    const symbols: SymbolFields[] = [{ name: 0, value: 0n, size: 0n, binding: STB_LOCAL, type: STT_NOTYPE, sectionIndex: 0 }];
    for (const sym of image.symbols) symbols.push({ ...sym, name: strings.add(sym.name) });
    const firstGlobal = symbols.findIndex((sym, i) => i > 0 && sym.binding !== STB_LOCAL);
    const symtab = new Uint8Array(symbols.length * sizes.sym);
    const symbolWriter = new RecordWriter(symtab, image.elfClass);
    symbols.forEach((sym, i) => symbolWriter.symbol(i * sizes.sym, sym));
    const symtabIndex = image.sections.length + 1;
    tables.push({
      name: '.symtab', type: SHT_SYMTAB, contents: symtab, link: symtabIndex + 1,
      info: firstGlobal < 0 ? symbols.length : firstGlobal, addralign: word, entsize: sizes.sym,
    });
    tables.push({ name: '.strtab', type: SHT_STRTAB, contents: strings.bytes(), link: 0, info: 0, addralign: 1, entsize: 0 });
  }
  const names = new StringTable();
  const sectionNames = image.sections.map((section) => names.add(section.name));
  const tableNames = [...tables.map((t) => t.name), '.shstrtab'].map((name) => names.add(name));
  tables.push({ name: '.shstrtab', type: SHT_STRTAB, contents: names.bytes(), link: 0, info: 0, addralign: 1, entsize: 0 });

  let offset = alignUp(image.contents.length, word);
  const tableOffsets = tables.map((t) => {
    offset = alignUp(offset, t.addralign);
    const at = offset;
    offset += t.contents.length;
    return at;
  });
  const shoff = alignUp(offset, word);
  const shnum = image.sections.length + tables.length + 1;
  const out = new Uint8Array(shoff + shnum * sizes.shdr);
  out.set(image.contents, 0);
  tables.forEach((t, i) => out.set(t.contents, tableOffsets[i]!));
  const w = new RecordWriter(out, image.elfClass);
  w.header({
    type: ET_EXEC, machine: image.machine, entry: image.entry, phoff: sizes.ehdr, phnum: image.phnum, shoff, shnum,
    shstrndx: shnum - 1,
  });
  for (let i = 0; i < image.phnum; i++) {
    const p = image.segments[i] ?? { type: PT_NULL, flags: 0, offset: 0, vaddr: 0n, paddr: 0n, filesz: 0, memsz: 0n, align: 0n };
    w.programHeader(sizes.ehdr + i * sizes.phdr, p);
  }
  const at = (index: number) => shoff + index * sizes.shdr;
  image.sections.forEach((section, i) => w.sectionHeader(at(i + 1), {
    name: sectionNames[i]!, type: section.type, flags: section.flags, addr: section.addr, offset: section.offset,
    size: section.size, link: 0, info: 0, addralign: section.addralign, entsize: 0,
  }));
  tables.forEach((t, i) => w.sectionHeader(at(image.sections.length + 1 + i), {
    name: tableNames[i]!, type: t.type, flags: 0, addr: 0n, offset: tableOffsets[i]!, size: t.contents.length, link: t.link,
    info: t.info, addralign: t.addralign, entsize: t.entsize,
  }));
  return out;
}
