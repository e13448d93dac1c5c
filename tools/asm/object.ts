// The assembler's output model for relocatable formats: what the front end produces from
// `-f elf32`/`-f elf64` source and what the ELF writer and the linker consume.
// Values are bigint because 64-bit addresses and addends do not fit a double exactly.

/** How a relocated field is computed and checked, independent of the ELF machine. */
export interface Relocation {
  /** Byte offset of the field inside its section. */
  offset: number;
  /** Width of the field in bytes. */
  size: 1 | 2 | 4 | 8;
  /** true: field = S + A - P (P is the field's address); false: field = S + A. */
  pcRelative: boolean;
  /** For 4-byte absolute fields in 64-bit code: whether the value is sign-extended (R_X86_64_32S). */
  signed: boolean;
  /** The symbol S: a global/extern name, or a section name for references to local labels. */
  symbol: string;
  /** Whether `symbol` names a section (the reference was to a local label of that section). */
  symbolIsSection: boolean;
  /** The addend A. */
  addend: bigint;
}

/** One section of an object file, with its bytes and the relocations that apply to them. */
export interface ObjectSection {
  name: string;
  /** Alignment in bytes (a power of two). */
  align: number;
  /** progbits holds `data`; nobits (bss) only has a `size`. */
  kind: 'progbits' | 'nobits';
  alloc: boolean;
  write: boolean;
  exec: boolean;
  /** Contents for progbits; empty for nobits. */
  data: Uint8Array;
  /** Size in bytes (equals data.length for progbits). */
  size: number;
  relocations: Relocation[];
}

/** A symbol the object defines or references. */
export interface ObjectSymbol {
  name: string;
  /** Defining section name; null for absolute symbols (EQU) and for externs. */
  section: string | null;
  /** Offset inside the section, or the absolute value. */
  value: bigint;
  binding: 'local' | 'global' | 'weak' | 'extern';
  type: 'notype' | 'func' | 'object';
  size: bigint;
}

/** A relocatable object as the ELF writer receives it. */
export interface ObjectModule {
  /** 32 for ELF32 (EM_386), 64 for ELF64 (EM_X86_64). */
  elfClass: 32 | 64;
  /** Source file name, recorded as the STT_FILE symbol. */
  sourceFile: string;
  sections: ObjectSection[];
  symbols: ObjectSymbol[];
}
