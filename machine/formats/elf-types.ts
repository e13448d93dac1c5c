// Typed views of the ELF records the reader returns. Addresses, symbol values and memory sizes
// are bigint (ELF64 addresses exceed 2^53); file offsets and sizes of bytes present in the file
// are numbers, and the reader has checked them against the file's length.

/** The ELF file header (Elf32_Ehdr / Elf64_Ehdr). */
export interface ElfHeader {
  /** e_ident[EI_CLASS]: 32 for ELFCLASS32, 64 for ELFCLASS64. */
  elfClass: 32 | 64;
  /** e_ident[EI_OSABI]: 0 (System V) for everything this project writes. */
  osAbi: number;
  /** e_type: ET_REL, ET_EXEC, ET_DYN... */
  type: number;
  /** e_machine: EM_386 or EM_X86_64 for the files this project handles. */
  machine: number;
  /** e_version: EV_CURRENT (1). */
  version: number;
  /** e_entry: virtual address of the first instruction; 0 in relocatable files. */
  entry: bigint;
  /** e_phoff: file offset of the program header table; 0 when there is none. */
  phoff: number;
  /** e_shoff: file offset of the section header table; 0 when there is none. */
  shoff: number;
  /** e_flags: processor flags, always 0 on x86. */
  flags: number;
  /** e_ehsize: size of this header (52 or 64). */
  ehsize: number;
  /** e_phentsize: size of one program header entry (32 or 56). */
  phentsize: number;
  /** e_phnum: number of program headers. */
  phnum: number;
  /** e_shentsize: size of one section header entry (40 or 64). */
  shentsize: number;
  /** Number of section headers (e_shnum, or section 0's sh_size when e_shnum is 0). */
  shnum: number;
  /** Index of the section-name string table (e_shstrndx, or section 0's sh_link for SHN_XINDEX). */
  shstrndx: number;
}

/** One program header (Elf32_Phdr / Elf64_Phdr): a segment a loader maps. */
export interface ElfProgramHeader {
  /** Position in the program header table. */
  index: number;
  /** p_type: PT_LOAD, PT_NOTE, PT_GNU_STACK... */
  type: number;
  /** p_flags: PF_R | PF_W | PF_X. */
  flags: number;
  /** p_offset: file offset of the segment's first byte. */
  offset: number;
  /** p_vaddr: virtual address of the segment's first byte. */
  vaddr: bigint;
  /** p_paddr: physical load address (what a Multiboot loader uses). */
  paddr: bigint;
  /** p_filesz: bytes taken from the file (offset + filesz is inside the file). */
  filesz: number;
  /** p_memsz: bytes occupied in memory; the part past filesz is zero-filled. */
  memsz: bigint;
  /** p_align: alignment; vaddr and offset are congruent modulo it for PT_LOAD. */
  align: bigint;
}

/** One section header (Elf32_Shdr / Elf64_Shdr) with its name resolved. */
export interface ElfSectionHeader {
  /** Position in the section header table (0 is the null section). */
  index: number;
  /** The name, read from the section-name string table at sh_name. */
  name: string;
  /** sh_type: SHT_PROGBITS, SHT_NOBITS, SHT_SYMTAB, SHT_REL, SHT_RELA... */
  type: number;
  /** sh_flags: SHF_WRITE | SHF_ALLOC | SHF_EXECINSTR and others. */
  flags: number;
  /** sh_addr: address in memory for allocated sections of executables; 0 in objects. */
  addr: bigint;
  /** sh_offset: file offset of the contents (meaningless for SHT_NOBITS). */
  offset: number;
  /** sh_size: size in bytes (in memory for SHT_NOBITS; otherwise also in the file). */
  size: number;
  /** sh_link: a related section (the string table of a symbol table, the symbol table of relocations). */
  link: number;
  /** sh_info: for SHT_SYMTAB the first non-local symbol; for relocations the section they patch. */
  info: number;
  /** sh_addralign: alignment of the section's address (0 or 1: none). */
  addralign: number;
  /** sh_entsize: size of one entry for tables, 0 otherwise. */
  entsize: number;
}

/** One symbol table entry (Elf32_Sym / Elf64_Sym) with its name resolved. */
export interface ElfSymbol {
  /** Position in the symbol table (0 is the null symbol). */
  index: number;
  /** The name from the linked string table ('' for section symbols). */
  name: string;
  /** st_name: the name's offset in the string table (writers append names in definition order). */
  nameOffset: number;
  /** st_value: section offset in relocatable files, address in executables. */
  value: bigint;
  /** st_size: size of the object or function, 0 when unknown. */
  size: bigint;
  /** ELF32_ST_BIND(st_info): STB_LOCAL, STB_GLOBAL, STB_WEAK. */
  binding: number;
  /** ELF32_ST_TYPE(st_info): STT_NOTYPE, STT_OBJECT, STT_FUNC, STT_SECTION, STT_FILE. */
  type: number;
  /** st_other: the visibility in its low two bits. */
  other: number;
  /** st_shndx: defining section, or SHN_UNDEF / SHN_ABS / SHN_COMMON. */
  sectionIndex: number;
}

/** One relocation entry (Elf*_Rel / Elf*_Rela). */
export interface ElfRelocation {
  /** r_offset: offset of the field in the patched section (an address in executables). */
  offset: bigint;
  /** ELF*_R_TYPE(r_info): R_386_* or R_X86_64_*. */
  type: number;
  /** ELF*_R_SYM(r_info): index in the linked symbol table. */
  symbolIndex: number;
  /** r_addend for RELA; null for REL, whose addend is the field's current contents. */
  addend: bigint | null;
}

/** A SHT_REL or SHT_RELA section with its decoded entries. */
export interface ElfRelocationSection {
  /** The relocation section itself. */
  section: ElfSectionHeader;
  /** Index of the section the entries patch (sh_info). */
  targetIndex: number;
  /** Index of the symbol table the entries refer to (sh_link). */
  symtabIndex: number;
  /** true for SHT_RELA (explicit addends). */
  explicitAddends: boolean;
  entries: ElfRelocation[];
}

/** A parsed ELF file: every header checked against the file's bounds. */
export interface ElfFile {
  header: ElfHeader;
  programHeaders: ElfProgramHeader[];
  /** All section headers, index 0 included. */
  sections: ElfSectionHeader[];
  /** Index of the SHT_SYMTAB section, or 0 when the file has none. */
  symtabIndex: number;
  /** The entries of the SHT_SYMTAB section (index 0 included), empty when there is none. */
  symbols: ElfSymbol[];
  relocationSections: ElfRelocationSection[];
  /** The whole file. */
  bytes: Uint8Array;
}
