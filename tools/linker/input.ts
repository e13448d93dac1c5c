// Reads the linker's input files: checks that each is an ELF relocatable object for the output's
// machine and keeps the sections that take part in the image (the allocated ones).
import {
  EM_386, EM_X86_64, ET_REL, SHF_ALLOC, SHT_NOBITS, SHT_NULL,
} from '../../machine/formats/elf-constants.ts';
import { tryReadElf } from '../../machine/formats/elf-reader.ts';
import type { ElfFile } from '../../machine/formats/elf-types.ts';
import type { Diagnostics } from './diagnostics.ts';

/** The largest section alignment accepted: a 2 MiB large page. */
const MAX_ALIGNMENT = 0x200000;

/** One allocated section of one input object, with its place in the output once laid out. */
export interface InputSection {
  object: InputObject;
  /** Index in the object's section header table (or -1 for a section the linker made). */
  index: number;
  name: string;
  flags: number;
  nobits: boolean;
  align: number;
  size: number;
  /** The contents, copied so that relocations can be applied in place (empty for NOBITS). */
  data: Uint8Array;
  /** Address assigned by the layout. */
  address: bigint;
  /** File offset assigned by the layout (meaningless for NOBITS). */
  offset: number;
}

/** One input object file. */
export interface InputObject {
  name: string;
  elf: ElfFile;
  /** Allocated sections by ELF section index; others are absent. */
  sections: Map<number, InputSection>;
}

/** A file given to the linker: its name as typed and its bytes. */
export interface InputFile {
  name: string;
  bytes: Uint8Array;
}

/** The ld emulation names and what they mean. */
export const EMULATIONS = {
  elf_i386: { elfClass: 32, machine: EM_386, bfdName: 'i386' },
  elf_x86_64: { elfClass: 64, machine: EM_X86_64, bfdName: 'i386:x86-64' },
} as const;

export type EmulationName = keyof typeof EMULATIONS;

/** The emulation matching an object's class and machine, if this linker supports it. */
export function emulationOf(elf: ElfFile): EmulationName | undefined {
  const names = Object.keys(EMULATIONS) as EmulationName[];
  return names.find((name) => EMULATIONS[name].machine === elf.header.machine && EMULATIONS[name].elfClass === elf.header.elfClass);
}

/** Parses one input file; reports why it cannot be linked and returns null then. */
export function parseInput(file: InputFile, diags: Diagnostics): ElfFile | null {
  const result = tryReadElf(file.bytes);
  if (!result.ok) {
    diags.error(`${file.name}: file format not recognized: ${result.error}`);
    return null;
  }
  if (result.file.header.type !== ET_REL) {
    diags.error(`${file.name}: not a relocatable object file (e_type ${result.file.header.type}); only .o files can be linked`);
    return null;
  }
  for (const s of result.file.sections) {
    // Alignments are powers of two (gABI); a huge one would only pad the output with gigabytes.
    if (s.addralign > 1 && ((s.addralign & (s.addralign - 1)) !== 0 || s.addralign > MAX_ALIGNMENT)) {
      diags.error(`${file.name}: section ${s.name} has alignment ${s.addralign}, not a power of two up to ${MAX_ALIGNMENT}`);
      return null;
    }
  }
  return result.file;
}

/** The object's allocated sections, ready for layout. */
export function loadObject(name: string, elf: ElfFile): InputObject {
  const object: InputObject = { name, elf, sections: new Map() };
  for (const s of elf.sections) {
    // Every allocated section takes part (notes and init arrays are bytes like PROGBITS);
    // sections that are not loaded (symbols, strings, relocations, debug information) do not.
    if (s.index === 0 || (s.flags & SHF_ALLOC) === 0 || s.type === SHT_NULL) continue;
    const nobits = s.type === SHT_NOBITS;
    object.sections.set(s.index, {
      object, index: s.index, name: s.name, flags: s.flags, nobits, align: Math.max(1, s.addralign), size: s.size,
      data: nobits ? new Uint8Array(0) : elf.bytes.slice(s.offset, s.offset + s.size), address: 0n, offset: 0,
    });
  }
  return object;
}
