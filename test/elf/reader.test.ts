import { describe, expect, it } from 'vitest';
import { describeAddress, loadableSegments, sectionByName, symbolByName, symbolContaining } from '../../machine/formats/elf-access.ts';
import { EM_386, EM_X86_64, ET_EXEC, ET_REL, R_386_32, R_386_PC32, SHT_SYMTAB } from '../../machine/formats/elf-constants.ts';
import { ElfFormatError } from '../../machine/formats/elf-error.ts';
import { readElf, tryReadElf } from '../../machine/formats/elf-reader.ts';
import { writeElfObject } from '../../tools/elf/write-object.ts';
import { link } from '../../tools/linker/link.ts';
import { hasRealNasm } from '../helpers/real-nasm.ts';
import { assemble } from '../ld/binutils.ts';
import { LIB32, PROG32 } from '../ld/fixtures.ts';
import { sampleModule } from './modules.ts';

describe.skipIf(!hasRealNasm())('readElf on real NASM output', () => {
  it('reads the header, sections, symbols and relocations of an ELF32 object', () => {
    const file = readElf(assemble(PROG32, 'elf32'), { elfClass: 32, machine: EM_386, type: ET_REL });
    expect(file.header).toMatchObject({ elfClass: 32, type: ET_REL, machine: EM_386, entry: 0n, phnum: 0, shentsize: 40 });
    expect(file.sections.map((s) => s.name)).toEqual(['', '.text', '.data', '.shstrtab', '.symtab', '.strtab', '.rel.text', '.rel.data']);
    expect(file.sections[file.symtabIndex]!.type).toBe(SHT_SYMTAB);
    expect(symbolByName(file, 'ptrs')).toMatchObject({ value: 7n, sectionIndex: 2 });
    expect(symbolByName(file, 'strlen')).toMatchObject({ sectionIndex: 0, binding: 1 });
    const relText = file.relocationSections.find((r) => r.section.name === '.rel.text')!;
    expect(relText.targetIndex).toBe(1);
    expect(relText.entries[0]).toEqual({ offset: 1n, type: R_386_32, symbolIndex: 3, addend: null });
    expect(relText.entries[1]).toMatchObject({ offset: 6n, type: R_386_PC32 });
    expect(file.symbols[relText.entries[1]!.symbolIndex]!.name).toBe('strlen');
  });

  it('reads the segments and symbols of a linked executable', () => {
    const exe = link([{ name: 'prog.o', bytes: assemble(PROG32, 'elf32') }, { name: 'lib.o', bytes: assemble(LIB32, 'elf32') }]).bytes!;
    const file = readElf(exe, { type: ET_EXEC });
    const segments = loadableSegments(file);
    expect(segments.map((s) => s.header.vaddr)).toEqual([0x08048000n, 0x08049000n, 0x0804a000n, 0x0804b010n]);
    expect(Array.from(segments[1]!.data.subarray(0, 1))).toEqual([0x68]);
    const strlen = symbolByName(file, 'strlen')!.value;
    expect(symbolContaining(file, strlen + 7n)).toMatchObject({ symbol: { name: 'strlen.loop' }, offset: 1n });
    expect(symbolContaining(file, 0x08049001n)).toMatchObject({ symbol: { name: '_start' }, offset: 1n });
    expect(sectionByName(file, '.bss')!.size).toBe(100);
    expect(describeAddress(file, strlen)).toBe('strlen');
    expect(describeAddress(file, strlen + 8n)).toBe('strlen.loop+0x2');
    expect(describeAddress(file, 0x1000n)).toBe('0x1000');
  });
});

/** A valid object with one field changed: little-endian value of `size` bytes at `at`. */
function patched(bytes: Uint8Array, at: number, size: number, value: number): Uint8Array {
  const copy = bytes.slice();
  for (let i = 0; i < size; i++) copy[at + i] = (value >>> (8 * i)) & 0xff;
  return copy;
}

describe('readElf on malformed input', () => {
  const object = () => writeElfObject(sampleModule(32));
  const layout = () => {
    const file = readElf(object());
    return { shoff: file.header.shoff, symtab: file.sections[file.symtabIndex]!, rel: file.relocationSections[0]!.section };
  };
  const shdr = (index: number, field: number) => layout().shoff + index * 40 + field;

  it.each<[string, () => Uint8Array, string]>([
    ['an empty file', () => new Uint8Array(0), 'truncated ELF file: 0 bytes, the identification alone needs 16'],
    ['a bad magic', () => patched(object(), 0, 1, 0x7e), 'not an ELF file: bad magic 7e 45 4c 46 (expected 7f 45 4c 46)'],
    ['a bad class', () => patched(object(), 4, 1, 3), 'bad ELF class 3 (expected 1 for ELF32 or 2 for ELF64)'],
    ['big-endian data', () => patched(object(), 5, 1, 2), 'unsupported data encoding 2: only little-endian (1) is supported'],
    ['a truncated header', () => object().subarray(0, 40), 'truncated ELF file: 40 bytes, the ELF32 file header needs 52'],
    ['a section table past the end', () => patched(object(), 0x20, 4, 0x10000), 'section header table (9 entries of 40 bytes) at bytes 0x10000-0x10168 extends past the end of the file (0x300 bytes)'],
    ['a section name table index out of range', () => patched(object(), 0x32, 2, 9), 'section name table index 9 is not a section (the file has 9)'],
    ['section contents past the end', () => patched(object(), shdr(1, 20), 4, 0x5000), 'section 1 contents at bytes 0x1b0-0x51b0 extends past the end of the file (0x300 bytes)'],
    ['a symbol name outside the string table', () => patched(object(), layout().symtab.offset + 16 * 2, 4, 0x9999), 'name of symbol 2: string offset 0x9999 is outside string table section 6 (39 bytes)'],
    ['a relocation naming a missing symbol', () => patched(object(), layout().rel.offset + 4, 4, (40 << 8) | 1), 'relocation section .rel.text entry 0 refers to symbol 40, but the symbol table has 10'],
    ['a relocation section for a missing section', () => patched(object(), shdr(7, 28), 4, 99), 'relocation section .rel.text (section 7) applies to section 99, which does not exist'],
    ['a symbol table with the wrong entry size', () => patched(object(), shdr(5, 36), 4, 12), 'symbol table (section 5) has entry size 12, expected 16'],
  ])('%s', (_, bytes, message) => {
    expect(() => readElf(bytes())).toThrow(new ElfFormatError(message));
    expect(tryReadElf(bytes())).toEqual({ ok: false, error: message });
  });

  it('checks what the caller expects', () => {
    expect(() => readElf(object(), { elfClass: 64 })).toThrow(new ElfFormatError('wrong ELF class: ELF32, expected ELF64'));
    expect(() => readElf(object(), { machine: EM_X86_64 })).toThrow(new ElfFormatError('wrong machine: EM_386 (3), expected EM_X86_64 (62)'));
    expect(() => readElf(object(), { type: ET_EXEC })).toThrow(new ElfFormatError('wrong file type: ET_REL (relocatable), expected ET_EXEC (executable)'));
  });

  it.skipIf(!hasRealNasm())('checks segments against the file', () => {
    const exe = link([{ name: 'p.o', bytes: assemble(PROG32, 'elf32') }, { name: 'l.o', bytes: assemble(LIB32, 'elf32') }]).bytes!;
    // Program header 3 (the data segment) at 52 + 3 * 32: p_filesz at +16, p_memsz at +20.
    expect(() => readElf(patched(exe, 52 + 96 + 16, 4, 0x200))).toThrow(new ElfFormatError('segment 3: file size 0x200 exceeds memory size 0x80'));
    expect(() => readElf(patched(exe, 52 + 96 + 4, 4, 0x7ffff000))).toThrow(/^segment 3 contents at bytes 0x7ffff000-0x7ffff01c extends past the end of the file/);
  });
});

/** A small deterministic generator (xorshift32), so that every run tries the same inputs. */
function generator(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe.skipIf(!hasRealNasm())('corrupted files never escape as anything but a diagnostic', () => {
  it('readElf throws only ElfFormatError and link only reports errors', () => {
    const objects = [assemble(PROG32, 'elf32'), assemble(LIB32, 'elf32')];
    const executable = link(objects.map((bytes, i) => ({ name: `${i}.o`, bytes }))).bytes!;
    const seeds = [...objects, executable, writeElfObject(sampleModule(64))];
    const next = generator(0x5eed);
    for (let round = 0; round < 400; round++) {
      const base = seeds[round % seeds.length]!;
      const bytes = base.slice(0, round % 7 === 0 ? next() % base.length : base.length);
      for (let k = 0; k < 1 + (next() % 4); k++) bytes[next() % bytes.length] = next() & 0xff;
      try {
        readElf(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(ElfFormatError);
      }
      const result = link([{ name: 'bad.o', bytes }, { name: 'lib.o', bytes: objects[1]! }]);
      expect(result.bytes === null).toBe(result.errors.length > 0);
    }
  });
});
