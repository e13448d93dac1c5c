// Convenience views over a parsed ELF file for loaders and tests: section contents, the
// memory image of the loadable segments, symbols by name.
import { PT_LOAD, SHN_LORESERVE, SHN_UNDEF, SHT_NOBITS, STB_LOCAL, STT_FUNC } from './elf-constants.ts';
import type { ElfFile, ElfProgramHeader, ElfSectionHeader, ElfSymbol } from './elf-types.ts';

/** A PT_LOAD segment with its file bytes; memory past `data.length` up to `memsz` is zero. */
export interface LoadableSegment {
  header: ElfProgramHeader;
  /** The p_filesz bytes from the file (a view, not a copy). */
  data: Uint8Array;
}

/** The bytes of a section as stored in the file (a view); empty for SHT_NOBITS. */
export function sectionContents(file: ElfFile, section: ElfSectionHeader): Uint8Array {
  if (section.type === SHT_NOBITS || section.index === 0) return new Uint8Array(0);
  return file.bytes.subarray(section.offset, section.offset + section.size);
}

/** The first section with this name, if any. */
export function sectionByName(file: ElfFile, name: string): ElfSectionHeader | undefined {
  return file.sections.find((s) => s.index > 0 && s.name === name);
}

/** Every PT_LOAD segment in program header order, with its file bytes. */
export function loadableSegments(file: ElfFile): LoadableSegment[] {
  return file.programHeaders
    .filter((p) => p.type === PT_LOAD)
    .map((header) => ({ header, data: file.bytes.subarray(header.offset, header.offset + header.filesz) }));
}

/** A symbol with this name, preferring a global or weak one over locals. */
export function symbolByName(file: ElfFile, name: string): ElfSymbol | undefined {
  const matches = file.symbols.filter((s) => s.index > 0 && s.name === name);
  return matches.find((s) => s.binding !== STB_LOCAL) ?? matches[0];
}

/** The function or label containing `address` in an executable: the nearest symbol at or below it in the same section. */
export function symbolContaining(file: ElfFile, address: bigint): { symbol: ElfSymbol; offset: bigint } | undefined {
  let best: ElfSymbol | undefined;
  for (const s of file.symbols) {
    if (s.index === 0 || s.name === '' || s.type > STT_FUNC || s.sectionIndex === SHN_UNDEF || s.sectionIndex >= SHN_LORESERVE) continue;
    const section = file.sections[s.sectionIndex];
    if (!section || address < section.addr || address >= section.addr + BigInt(section.size)) continue;
    if (s.value <= address && (best === undefined || s.value > best.value || (s.value === best.value && s.binding > best.binding))) best = s;
  }
  return best ? { symbol: best, offset: address - best.value } : undefined;
}

/** `name+0xoffset` (or just `name`) for an address inside a named symbol's section, else the address in hex. */
export function describeAddress(file: ElfFile, address: bigint): string {
  const found = symbolContaining(file, address);
  if (!found) return `0x${address.toString(16)}`;
  return found.offset === 0n ? found.symbol.name : `${found.symbol.name}+0x${found.offset.toString(16)}`;
}
