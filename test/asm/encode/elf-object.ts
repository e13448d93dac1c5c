// Just enough of an ELF object reader for the encoder's relocation test: the bytes of one section
// and the relocations that apply to it, with symbol names resolved.
export interface ElfRelocation {
  offset: number;
  type: number;
  /** Symbol name, or the section name for a section symbol. */
  symbol: string;
  isSection: boolean;
  /** The explicit addend (RELA), or null for REL entries whose addend is in the field. */
  addend: bigint | null;
}

interface SectionHeader {
  name: string;
  type: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
}

/** Reads section `name` and its relocations from an ELF32 or ELF64 little-endian object. */
export function readElfSection(file: Uint8Array, name: string): { bytes: Uint8Array; relocations: ElfRelocation[] } {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const is64 = file[4] === 2;
  const word = (at: number): number => (is64 ? Number(view.getBigUint64(at, true)) : view.getUint32(at, true));
  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = view.getUint16(is64 ? 0x3a : 0x2e, true);
  const shnum = view.getUint16(is64 ? 0x3c : 0x30, true);
  const shstrndx = view.getUint16(is64 ? 0x3e : 0x32, true);
  const raw: (Omit<SectionHeader, 'name'> & { nameAt: number })[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    raw.push({
      nameAt: view.getUint32(at, true), type: view.getUint32(at + 4, true),
      offset: word(at + (is64 ? 0x18 : 0x10)), size: word(at + (is64 ? 0x20 : 0x14)),
      link: view.getUint32(at + (is64 ? 0x28 : 0x18), true), info: view.getUint32(at + (is64 ? 0x2c : 0x1c), true),
      entsize: word(at + (is64 ? 0x38 : 0x24)),
    });
  }
  const cString = (at: number): string => {
    let end = at;
    while (file[end] !== 0) end++;
    return Buffer.from(file.subarray(at, end)).toString('latin1');
  };
  const names = raw[shstrndx]!;
  const sections: SectionHeader[] = raw.map((s) => ({ ...s, name: cString(names.offset + s.nameAt) }));
  const index = sections.findIndex((s) => s.name === name);
  if (index < 0) throw new Error(`no section ${name}`);
  const target = sections[index]!;
  const relocations: ElfRelocation[] = [];
  for (const rel of sections) {
    if ((rel.type !== 4 && rel.type !== 9) || rel.info !== index) continue;
    const symtab = sections[rel.link]!;
    const strtab = sections[symtab.link]!;
    for (let at = rel.offset; at < rel.offset + rel.size; at += rel.entsize) {
      const offset = word(at);
      const info = is64 ? view.getBigUint64(at + 8, true) : BigInt(view.getUint32(at + 4, true));
      const symIndex = Number(is64 ? info >> 32n : info >> 8n);
      const type = Number(is64 ? info & 0xffffffffn : info & 0xffn);
      const addend = rel.type === 4 ? (is64 ? view.getBigInt64(at + 16, true) : BigInt(view.getInt32(at + 8, true))) : null;
      const sym = symtab.offset + symIndex * symtab.entsize;
      const symInfo = file[sym + (is64 ? 4 : 12)]!;
      const shndx = view.getUint16(sym + (is64 ? 6 : 14), true);
      const isSection = (symInfo & 0xf) === 3;
      const symbol = isSection ? sections[shndx]!.name : cString(strtab.offset + view.getUint32(sym, true));
      relocations.push({ offset, type, symbol, isSection, addend });
    }
  }
  return { bytes: file.slice(target.offset, target.offset + target.size), relocations };
}
