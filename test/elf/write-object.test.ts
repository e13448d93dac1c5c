import { describe, expect, it } from 'vitest';
import { sectionContents, sectionByName } from '../../machine/formats/elf-access.ts';
import {
  EM_386, EM_X86_64, ET_REL, R_386_32, R_386_PC32, R_X86_64_32, R_X86_64_32S, R_X86_64_PC32, SHF_ALLOC, SHF_EXECINSTR,
  SHF_WRITE, SHN_ABS, SHN_UNDEF, SHT_NOBITS, SHT_PROGBITS, SHT_REL, SHT_RELA, STB_GLOBAL, STB_LOCAL, STB_WEAK, STT_FILE,
  STT_FUNC, STT_SECTION,
} from '../../machine/formats/elf-constants.ts';
import { readElf } from '../../machine/formats/elf-reader.ts';
import type { ObjectModule } from '../../tools/asm/object.ts';
import { objectModuleFromElf } from '../../tools/elf/read-object.ts';
import { ElfWriteError, writeElfObject } from '../../tools/elf/write-object.ts';
import { hasRealNasm } from '../helpers/real-nasm.ts';
import { assemble, hasTool, runTool } from '../ld/binutils.ts';
import { LIB32, LIB64, PROG32, PROG64 } from '../ld/fixtures.ts';
import { sampleModule } from './modules.ts';

describe('writeElfObject', () => {
  it('writes ELF32 sections with NASM flags, alignment and order', () => {
    const file = readElf(writeElfObject(sampleModule(32)), { elfClass: 32, machine: EM_386, type: ET_REL });
    expect(file.sections.map((s) => s.name)).toEqual(['', '.text', '.data', '.bss', '.shstrtab', '.symtab', '.strtab', '.rel.text', '.rel.data']);
    const [, text, data, bss] = file.sections;
    expect([text!.type, text!.flags, text!.addralign, text!.size]).toEqual([SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 16, 11]);
    expect([data!.type, data!.flags, data!.addralign]).toEqual([SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 4]);
    expect([bss!.type, bss!.flags, bss!.size]).toEqual([SHT_NOBITS, SHF_ALLOC | SHF_WRITE, 64]);
    for (const s of file.sections.slice(1)) expect(s.offset % 16).toBe(0);
  });

  it('orders the symbol table: null, file, sections, locals, then globals from sh_info', () => {
    const file = readElf(writeElfObject(sampleModule(32)));
    const symtab = file.sections[file.symtabIndex]!;
    const rows = file.symbols.map((s) => [s.name, s.type, s.binding, s.sectionIndex]);
    expect(rows).toEqual([
      ['', 0, STB_LOCAL, SHN_UNDEF],
      ['sample.asm', STT_FILE, STB_LOCAL, SHN_ABS],
      ['', STT_SECTION, STB_LOCAL, 1],
      ['', STT_SECTION, STB_LOCAL, 2],
      ['', STT_SECTION, STB_LOCAL, 3],
      ['msg', 0, STB_LOCAL, 2],
      ['_start', STT_FUNC, STB_GLOBAL, 1],
      ['puts', 0, STB_GLOBAL, SHN_UNDEF],
      ['LIMIT', 0, STB_GLOBAL, SHN_ABS],
      ['hook', STT_FUNC, STB_WEAK, 1],
    ]);
    expect(symtab.info).toBe(6);
    expect(file.sections[symtab.link]!.name).toBe('.strtab');
    expect(file.symbols[6]!.size).toBe(11n);
    expect(file.symbols[8]!.value).toBe(100n);
  });

  it('encodes ELF32 relocations as REL with the addend in the field', () => {
    const file = readElf(writeElfObject(sampleModule(32)));
    const [relText, relData] = file.relocationSections;
    expect(relText!.section.type).toBe(SHT_REL);
    expect(relText!.targetIndex).toBe(1);
    expect(relText!.entries).toEqual([
      { offset: 1n, type: R_386_PC32, symbolIndex: 7, addend: null },
      { offset: 6n, type: R_386_32, symbolIndex: 3, addend: null },
    ]);
    expect(Array.from(sectionContents(file, file.sections[1]!).subarray(1, 5))).toEqual([0xfc, 0xff, 0xff, 0xff]);
    expect(relData!.entries).toEqual([{ offset: 3n, type: R_386_32, symbolIndex: 2, addend: null }]);
    expect(Array.from(sectionContents(file, file.sections[2]!).subarray(3, 7))).toEqual([1, 0, 0, 0]);
  });

  it('encodes ELF64 relocations as RELA with explicit addends and zero fields', () => {
    const module = sampleModule(64);
    module.sections[0]!.relocations[1]!.signed = true;
    const file = readElf(writeElfObject(module), { elfClass: 64, machine: EM_X86_64 });
    expect(file.sections.map((s) => s.name).slice(-2)).toEqual(['.rela.text', '.rela.data']);
    const [relaText] = file.relocationSections;
    expect(relaText!.section.type).toBe(SHT_RELA);
    expect(relaText!.entries).toEqual([
      { offset: 1n, type: R_X86_64_PC32, symbolIndex: 7, addend: -4n },
      { offset: 6n, type: R_X86_64_32S, symbolIndex: 3, addend: 0n },
    ]);
    expect(file.relocationSections[1]!.entries[0]!.type).toBe(R_X86_64_32);
    expect(Array.from(sectionContents(file, file.sections[1]!).subarray(1, 5))).toEqual([0, 0, 0, 0]);
  });

  it('reads back into the same module', () => {
    for (const elfClass of [32, 64] as const) {
      const module = sampleModule(elfClass);
      expect(objectModuleFromElf(readElf(writeElfObject(module)))).toEqual(module);
    }
  });

  it.skipIf(!hasTool('readelf') || !hasTool('objdump'))('is accepted by readelf -a and objdump -d without warnings', () => {
    for (const elfClass of [32, 64] as const) {
      const files = { 'sample.o': writeElfObject(sampleModule(elfClass)) };
      for (const [tool, flag] of [['readelf', '-a'], ['objdump', '-d'], ['objdump', '-r']] as const) {
        const r = runTool(tool, () => ['-W', flag, 'sample.o'].filter((a) => a !== '-W' || tool === 'readelf'), files);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
      }
    }
  });
});

describe('writeElfObject rejects modules ELF cannot hold', () => {
  const broken = (change: (m: ObjectModule) => void, elfClass: 32 | 64 = 32): (() => Uint8Array) => {
    const module = sampleModule(elfClass);
    change(module);
    return () => writeElfObject(module);
  };
  it.each<[string, (m: ObjectModule) => void, string]>([
    ['an unknown relocation symbol', (m) => { m.sections[0]!.relocations[0]!.symbol = 'nowhere'; }, "section '.text' offset 0x1: relocation against unknown symbol 'nowhere'"],
    ['a field past the section end', (m) => { m.sections[0]!.relocations[0]!.offset = 9; }, "section '.text' offset 0x9: a 4-byte relocated field does not fit in the section (11 bytes)"],
    ['a 64-bit field in ELF32', (m) => { Object.assign(m.sections[0]!.relocations[1]!, { size: 8, offset: 0 }); }, "section '.text' offset 0x0: ELF32 has no relocation of 64 bits"],
    ['an addend too wide for a REL field', (m) => { Object.assign(m.sections[1]!.relocations[0]!, { size: 1, addend: 300n }); }, "section '.data' offset 0x3: addend 300 does not fit in a 8-bit field"],
    ['a duplicate section', (m) => { m.sections.push({ ...m.sections[2]! }); }, "section '.bss' appears twice"],
    ['an alignment that is not a power of two', (m) => { m.sections[2]!.align = 3; }, "section '.bss': alignment 3 is not a power of two"],
    ['a symbol in a missing section', (m) => { m.symbols[2]!.section = '.nope'; }, "symbol 'msg' is defined in section '.nope', which the module does not have"],
  ])('%s', (_, change, message) => {
    expect(broken(change)).toThrow(new ElfWriteError(message));
  });
});

// Real NASM's objects, read into a module and written again, come out byte for byte the same.
const NASM_SOURCES: [string, string, 'elf32' | 'elf64'][] = [
  ['an empty source (i386)', '', 'elf32'],
  ['an empty source (x86-64)', '', 'elf64'],
  ['library (i386)', LIB32, 'elf32'],
  ['program (i386)', PROG32, 'elf32'],
  ['library (x86-64)', LIB64, 'elf64'],
  ['program (x86-64)', PROG64, 'elf64'],
  ['sections of every kind', `
section .text
global f:function
f: call g
   jmp short .x
.x: ret
extern g
section .rodata
  db "abc"
section .data
p: dd f, f.x, p + 2
  dw p
  db 0
section .bss
  resq 3
section .aligned progbits alloc noexec write align=64
  dd f
section .tbl nobits alloc noexec write align=8
  resb 12
section .note.x noalloc
  db 1
`, 'elf32'],
  ['weak, sized and typed symbols', `
section .text
global w:function weak, sized:function (sized.end - sized), obj:data 4
extern maybe:weak
LIMIT equ 42
w: call maybe
sized: mov eax, LIMIT
.end:
section .data
obj: dd w
`, 'elf64'],
  ['64-bit widths', `
default rel
section .text
global h
h: lea rax, [q]
   mov rax, [q + 8]
   mov eax, q
   dq q, h + 3
   dw q
extern q
`, 'elf64'],
];

describe.skipIf(!hasRealNasm())('writeElfObject against real NASM', () => {
  it.each(NASM_SOURCES)('%s', (_, source, format) => {
    const nasm = assemble(source, format);
    const ours = writeElfObject(objectModuleFromElf(readElf(nasm)));
    expect(Buffer.from(ours).equals(Buffer.from(nasm))).toBe(true);
    expect(sectionByName(readElf(ours), '.symtab')).toBeDefined();
  });
});
