// Turns an ELF relocatable file (ours or real NASM's) back into the assembler's ObjectModule, so
// that objects can be compared field by field with what an assembler produced: relocated fields
// hold zero in `data` and their addends are explicit, whatever the ELF class.
import {
  ET_REL, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_ABS, SHN_COMMON, SHN_UNDEF, SHT_NOBITS, SHT_PROGBITS,
  STB_LOCAL, STB_WEAK, STT_FILE, STT_FUNC, STT_OBJECT, STT_SECTION,
} from '../../machine/formats/elf-constants.ts';
import { ElfFormatError } from '../../machine/formats/elf-error.ts';
import type { ElfFile, ElfSymbol } from '../../machine/formats/elf-types.ts';
import type { ObjectModule, ObjectSection, ObjectSymbol, Relocation } from '../asm/object.ts';
import { readSignedField, writeField } from './records.ts';
import { machineForClass, relocationType } from './relocation-types.ts';

/** The ObjectModule an ELF relocatable file describes; throws ElfFormatError for what the model cannot hold. */
export function objectModuleFromElf(file: ElfFile): ObjectModule {
  const { header } = file;
  if (header.type !== ET_REL) throw new ElfFormatError(`not a relocatable object (e_type ${header.type})`);
  const machine = machineForClass(header.elfClass);
  if (header.machine !== machine) throw new ElfFormatError(`ELF${header.elfClass} object for machine ${header.machine}, expected ${machine}`);
  const sections: ObjectSection[] = [];
  const byIndex = new Map<number, ObjectSection>();
  for (const s of file.sections) {
    if (s.index === 0 || (s.type !== SHT_PROGBITS && s.type !== SHT_NOBITS)) continue;
    const nobits = s.type === SHT_NOBITS;
    const section: ObjectSection = {
      name: s.name, align: Math.max(1, s.addralign), kind: nobits ? 'nobits' : 'progbits',
      alloc: (s.flags & SHF_ALLOC) !== 0, write: (s.flags & SHF_WRITE) !== 0, exec: (s.flags & SHF_EXECINSTR) !== 0,
      data: nobits ? new Uint8Array(0) : file.bytes.slice(s.offset, s.offset + s.size), size: s.size, relocations: [],
    };
    sections.push(section);
    byIndex.set(s.index, section);
  }
  for (const rs of file.relocationSections) {
    const target = byIndex.get(rs.targetIndex);
    if (!target) throw new ElfFormatError(`relocation section ${rs.section.name} applies to section ${rs.targetIndex}, which holds no code or data`);
    for (const entry of rs.entries) {
      const type = relocationType(machine, entry.type);
      const offset = Number(entry.offset);
      if (!type) throw new ElfFormatError(`${rs.section.name}: unsupported relocation type ${entry.type} at offset 0x${offset.toString(16)}`);
      if (offset + type.size > target.size) throw new ElfFormatError(`${rs.section.name}: relocation at 0x${offset.toString(16)} is outside ${target.name}`);
      const symbol = file.symbols[entry.symbolIndex]!;
      const isSection = symbol.type === STT_SECTION;
      const addend = entry.addend ?? readSignedField(target.data, offset, type.size);
      writeField(target.data, offset, type.size, 0n);
      const relocation: Relocation = {
        offset, size: type.size, pcRelative: type.pcRelative, signed: type.signed,
        symbol: isSection ? sectionName(file, symbol) : symbol.name, symbolIsSection: isSection, addend,
      };
      target.relocations.push(relocation);
    }
  }
  const sourceFile = file.symbols.find((s) => s.type === STT_FILE)?.name ?? '';
  // Writers append names as symbols are defined, so string-table order recovers the module's order.
  const symbols = file.symbols
    .filter((s) => s.index > 0 && s.type !== STT_FILE && s.type !== STT_SECTION)
    .sort((a, b) => a.nameOffset - b.nameOffset)
    .map((s) => convertSymbol(file, s));
  return { elfClass: header.elfClass, sourceFile, sections, symbols };
}

function sectionName(file: ElfFile, symbol: ElfSymbol): string {
  return file.sections[symbol.sectionIndex]?.name ?? '';
}

function convertSymbol(file: ElfFile, s: ElfSymbol): ObjectSymbol {
  if (s.sectionIndex === SHN_COMMON) throw new ElfFormatError(`symbol '${s.name}' is a common symbol, which an ObjectModule cannot hold`);
  const undefinedSymbol = s.sectionIndex === SHN_UNDEF;
  if (undefinedSymbol && s.binding === STB_LOCAL) throw new ElfFormatError(`symbol '${s.name}' is undefined but local`);
  const binding = s.binding === STB_LOCAL ? 'local' : s.binding === STB_WEAK ? 'weak' : undefinedSymbol ? 'extern' : 'global';
  const section = undefinedSymbol || s.sectionIndex === SHN_ABS ? null : sectionName(file, s);
  const type = s.type === STT_FUNC ? 'func' : s.type === STT_OBJECT ? 'object' : 'notype';
  return { name: s.name, section, value: s.value, binding, type, size: s.size };
}
