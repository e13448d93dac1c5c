// Writes an assembler ObjectModule as an ELF relocatable file laid out like NASM's `-f elf32` /
// `-f elf64` output: null section, the module's sections in order, .shstrtab, .symtab, .strtab,
// then one .rel/.rela section per section with relocations; the header table right after the
// ELF header, every section's contents at a multiple of 16.
import {
  ET_REL, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_ABS, SHN_LORESERVE, SHN_UNDEF, SHT_NOBITS, SHT_PROGBITS, SHT_REL, SHT_RELA,
  SHT_STRTAB, SHT_SYMTAB, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_FILE, STT_FUNC, STT_NOTYPE, STT_OBJECT, STT_SECTION,
} from '../../machine/formats/elf-constants.ts';
import type { ObjectModule, ObjectSection, ObjectSymbol, Relocation } from '../asm/object.ts';
import { alignUp, RecordWriter, sizesFor, writeField, type SectionHeaderFields, type SymbolFields } from './records.ts';
import { machineForClass, relocationTypeFor } from './relocation-types.ts';
import { StringTable } from './string-table.ts';

/** A module the writer cannot express in ELF; the message names the section, symbol or offset. */
export class ElfWriteError extends Error {
  override readonly name = 'ElfWriteError';
}

const SYMBOL_TYPES = { notype: STT_NOTYPE, func: STT_FUNC, object: STT_OBJECT } as const;
const FILE_ALIGN = 16;

interface PlannedSection extends SectionHeaderFields {
  contents: Uint8Array | null;
}

/** The ELF relocatable file for `module`; throws ElfWriteError for a module ELF cannot represent. */
export function writeElfObject(module: ObjectModule): Uint8Array {
  checkSections(module.sections);
  const machine = machineForClass(module.elfClass);
  const sizes = sizesFor(module.elfClass);
  const sectionIndex = new Map(module.sections.map((s, i) => [s.name, i + 1]));
  const { table: symbolTable, strings, firstGlobal, indexOf } = buildSymbols(module, sectionIndex);

  const shstrtab = new StringTable();
  const planned: PlannedSection[] = [];
  for (const s of module.sections) {
    const flags = (s.alloc ? SHF_ALLOC : 0) | (s.write ? SHF_WRITE : 0) | (s.exec ? SHF_EXECINSTR : 0);
    planned.push({
      name: shstrtab.add(s.name), type: s.kind === 'nobits' ? SHT_NOBITS : SHT_PROGBITS, flags, addr: 0n, offset: 0,
      size: s.size, link: 0, info: 0, addralign: s.align, entsize: 0,
      contents: s.kind === 'nobits' ? null : encodeRelocatedFields(module.elfClass, s),
    });
  }
  const shstrtabIndex = planned.length + 1;
  const symtabIndex = shstrtabIndex + 1;
  const strtabIndex = symtabIndex + 1;
  const relocated = module.sections.map((s, i) => ({ s, index: i + 1 })).filter(({ s }) => s.relocations.length > 0);
  const relocationName = module.elfClass === 64 ? '.rela' : '.rel';
  // Section names are added in header order so that .shstrtab reads like NASM's.
  const shstrtabName = shstrtab.add('.shstrtab');
  const symtabName = shstrtab.add('.symtab');
  const strtabName = shstrtab.add('.strtab');
  const relocationNames = relocated.map(({ s }) => shstrtab.add(relocationName + s.name));

  const symbolBytes = new Uint8Array(symbolTable.length * sizes.sym);
  const symbolWriter = new RecordWriter(symbolBytes, module.elfClass);
  symbolTable.forEach((sym, i) => symbolWriter.symbol(i * sizes.sym, sym));

  planned.push({
    name: shstrtabName, type: SHT_STRTAB, flags: 0, addr: 0n, offset: 0, size: 0, link: 0, info: 0, addralign: 1,
    entsize: 0, contents: shstrtab.bytes(),
  });
  planned.push({
    name: symtabName, type: SHT_SYMTAB, flags: 0, addr: 0n, offset: 0, size: 0, link: strtabIndex, info: firstGlobal,
    addralign: module.elfClass === 64 ? 8 : 4, entsize: sizes.sym, contents: symbolBytes,
  });
  planned.push({
    name: strtabName, type: SHT_STRTAB, flags: 0, addr: 0n, offset: 0, size: 0, link: 0, info: 0, addralign: 1,
    entsize: 0, contents: strings.bytes(),
  });
  relocated.forEach(({ s, index }, i) => {
    const entrySize = module.elfClass === 64 ? sizes.rela : sizes.rel;
    const bytes = new Uint8Array(s.relocations.length * entrySize);
    const writer = new RecordWriter(bytes, module.elfClass);
    s.relocations.forEach((r, k) => {
      const type = relocationTypeFor(machine, r)!;
      writer.relocation(k * entrySize, BigInt(r.offset), indexOf(r, s), type.type, r.addend);
    });
    planned.push({
      name: relocationNames[i]!, type: module.elfClass === 64 ? SHT_RELA : SHT_REL, flags: 0, addr: 0n, offset: 0, size: 0,
      link: symtabIndex, info: index, addralign: module.elfClass === 64 ? 8 : 4, entsize: entrySize, contents: bytes,
    });
  });

  const shnum = planned.length + 1;
  // Beyond this, section indices collide with SHN_ABS and friends (extended numbering is not written).
  if (shnum >= SHN_LORESERVE) throw new ElfWriteError(`${module.sections.length} sections is too many for one ELF object`);
  let offset = alignUp(sizes.ehdr, FILE_ALIGN);
  const shoff = offset;
  offset = alignUp(offset + shnum * sizes.shdr, FILE_ALIGN);
  for (const p of planned) {
    // Like NASM, file offsets are aligned to 16 whatever sh_addralign says: the alignment
    // constrains the address a linker gives the section, not its place in the object file.
    offset = alignUp(offset, FILE_ALIGN);
    p.offset = offset;
    if (p.contents) {
      p.size = p.contents.length;
      offset += p.size;
    }
  }
  // NASM pads the file to a multiple of 16 after the last section.
  const out = new Uint8Array(alignUp(offset, FILE_ALIGN));
  const writer = new RecordWriter(out, module.elfClass);
  writer.header({ type: ET_REL, machine, entry: 0n, phoff: 0, phnum: 0, shoff, shnum, shstrndx: shstrtabIndex });
  planned.forEach((p, i) => {
    writer.sectionHeader(shoff + (i + 1) * sizes.shdr, p);
    if (p.contents) out.set(p.contents, p.offset);
  });
  return out;
}

function checkSections(sections: ObjectSection[]): void {
  const seen = new Set<string>();
  for (const s of sections) {
    if (s.name === '') throw new ElfWriteError('a section has an empty name');
    if (seen.has(s.name)) throw new ElfWriteError(`section '${s.name}' appears twice`);
    seen.add(s.name);
    if (!Number.isInteger(s.align) || s.align < 1 || (s.align & (s.align - 1)) !== 0) {
      throw new ElfWriteError(`section '${s.name}': alignment ${s.align} is not a power of two`);
    }
    if (s.kind === 'progbits' && s.data.length !== s.size) {
      throw new ElfWriteError(`section '${s.name}': size ${s.size} differs from its ${s.data.length} bytes of contents`);
    }
    if (s.kind === 'nobits' && s.relocations.length > 0) {
      throw new ElfWriteError(`section '${s.name}' holds no bytes (nobits) but has relocations`);
    }
  }
}

/** The section's bytes with each relocated field set as the ELF class expects it. */
function encodeRelocatedFields(elfClass: 32 | 64, section: ObjectSection): Uint8Array {
  const bytes = section.data.slice();
  const machine = machineForClass(elfClass);
  for (const r of section.relocations) {
    const where = `section '${section.name}' offset 0x${r.offset.toString(16)}`;
    if (!Number.isInteger(r.offset) || r.offset < 0 || r.offset + r.size > section.size) {
      throw new ElfWriteError(`${where}: a ${r.size}-byte relocated field does not fit in the section (${section.size} bytes)`);
    }
    if (!relocationTypeFor(machine, r)) {
      throw new ElfWriteError(`${where}: ELF${elfClass} has no ${r.pcRelative ? 'PC-relative ' : ''}relocation of ${r.size * 8} bits`);
    }
    if (elfClass === 32) {
      // REL: the addend lives in the field itself, so it must fit there.
      const bits = BigInt(r.size * 8);
      if (r.addend < -(1n << bits) || r.addend >= 1n << bits) {
        throw new ElfWriteError(`${where}: addend ${r.addend} does not fit in a ${bits}-bit field`);
      }
      writeField(bytes, r.offset, r.size, r.addend);
    } else {
      // RELA: the addend is in the entry and the field holds zero, as NASM writes it.
      writeField(bytes, r.offset, r.size, 0n);
    }
  }
  return bytes;
}

function bindingOf(symbol: ObjectSymbol): number {
  if (symbol.binding === 'local') return STB_LOCAL;
  return symbol.binding === 'weak' ? STB_WEAK : STB_GLOBAL;
}

/** The symbol table: null, STT_FILE, one STT_SECTION per section, the locals, then the globals. */
function buildSymbols(module: ObjectModule, sectionIndex: Map<string, number>) {
  const strings = new StringTable();
  const table: SymbolFields[] = [{ name: 0, value: 0n, size: 0n, binding: STB_LOCAL, type: STT_NOTYPE, sectionIndex: SHN_UNDEF }];
  table.push({ name: strings.add(module.sourceFile), value: 0n, size: 0n, binding: STB_LOCAL, type: STT_FILE, sectionIndex: SHN_ABS });
  const sectionSymbol = new Map<string, number>();
  for (const s of module.sections) {
    sectionSymbol.set(s.name, table.length);
    table.push({ name: 0, value: 0n, size: 0n, binding: STB_LOCAL, type: STT_SECTION, sectionIndex: sectionIndex.get(s.name)! });
  }
  // Names go into .strtab in the module's (definition) order, as NASM writes them.
  const nameOffsets = module.symbols.map((s) => strings.add(s.name));
  const nameOf = new Map(module.symbols.map((s, i) => [s, nameOffsets[i]!]));
  const locals = module.symbols.filter((s) => s.binding === 'local');
  const globals = module.symbols.filter((s) => s.binding !== 'local');
  const localIndex = new Map<string, number>();
  const globalIndex = new Map<string, number>();
  let firstGlobal = 0;
  for (const symbol of [...locals, ...globals]) {
    if (symbol.binding !== 'local' && firstGlobal === 0) firstGlobal = table.length;
    let shndx: number = SHN_ABS;
    if (symbol.section !== null) {
      const index = sectionIndex.get(symbol.section);
      if (index === undefined) throw new ElfWriteError(`symbol '${symbol.name}' is defined in section '${symbol.section}', which the module does not have`);
      shndx = index;
    } else if (symbol.binding === 'extern' || symbol.binding === 'weak') {
      // A weak symbol without a section is NASM's `extern name:weak`: an undefined weak reference.
      shndx = SHN_UNDEF;
    }
    const names = symbol.binding === 'local' ? localIndex : globalIndex;
    if (globalIndex.has(symbol.name) || (symbol.binding !== 'local' && localIndex.has(symbol.name))) {
      throw new ElfWriteError(`symbol '${symbol.name}' is both local and global`);
    }
    if (!names.has(symbol.name)) names.set(symbol.name, table.length);
    table.push({
      name: nameOf.get(symbol)!, value: symbol.value, size: symbol.size, binding: bindingOf(symbol),
      type: SYMBOL_TYPES[symbol.type], sectionIndex: shndx,
    });
  }
  if (firstGlobal === 0) firstGlobal = table.length;
  const indexOf = (r: Relocation, section: ObjectSection): number => {
    const index = r.symbolIsSection ? sectionSymbol.get(r.symbol) : (globalIndex.get(r.symbol) ?? localIndex.get(r.symbol));
    if (index === undefined) {
      const what = r.symbolIsSection ? 'section' : 'symbol';
      throw new ElfWriteError(`section '${section.name}' offset 0x${r.offset.toString(16)}: relocation against unknown ${what} '${r.symbol}'`);
    }
    return index;
  };
  // Resolve every relocation's symbol now, so that an unknown one is reported before any output.
  for (const s of module.sections) for (const r of s.relocations) indexOf(r, s);
  return { table, strings, firstGlobal, indexOf };
}
