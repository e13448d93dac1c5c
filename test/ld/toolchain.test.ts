import { describe, expect, it } from 'vitest';
import { readElf } from '../../machine/formats/elf-reader.ts';
import { sectionContents } from '../../machine/formats/elf-access.ts';
import { SHF_ALLOC, SHT_PROGBITS } from '../../machine/formats/elf-constants.ts';
import { assemble } from '../../tools/asm/assemble.ts';
import { encodeInstruction } from '../../tools/asm/encode/index.ts';
import { memoryFiles } from '../../tools/asm/files.ts';
import { writeElfObject } from '../../tools/elf/write-object.ts';
import { link } from '../../tools/linker/link.ts';
import { hasRealNasm } from '../helpers/real-nasm.ts';
import { assemble as realAssemble, hasTool, realLd } from './binutils.ts';
import { LIB32, LIB64, PROG32, PROG64 } from './fixtures.ts';

// The project's own tool chain (assembler, ELF writer, linker) against NASM + GNU ld: the
// objects hold NASM's section bytes, and the executables load the same bytes at the same places.
// (Whole objects differ only in the source file name each assembler records.)

function ourObject(source: string, format: 'elf32' | 'elf64'): Uint8Array {
  const result = assemble(source, 'in.asm', {
    format, encoder: encodeInstruction, writeObject: writeElfObject, files: memoryFiles({ 'in.asm': source }),
  });
  expect(result.diagnostics).toEqual([]);
  return result.output!;
}

function loaded(bytes: Uint8Array): Record<string, string> {
  const file = readElf(bytes);
  const out: Record<string, string> = {};
  for (const s of file.sections) {
    if (s.type === SHT_PROGBITS && s.flags & SHF_ALLOC) out[`${s.name}@0x${s.addr.toString(16)}`] = Buffer.from(sectionContents(file, s)).toString('hex');
  }
  return out;
}

describe.skipIf(!hasRealNasm())('assembler + linker tool chain', () => {
  it.each([
    ['i386', 'elf32', 'elf_i386', PROG32, LIB32],
    ['x86-64', 'elf64', 'elf_x86_64', PROG64, LIB64],
  ] as const)('%s program and library', (_, format, emulation, prog, lib) => {
    const ours = { 'prog.o': ourObject(prog, format), 'lib.o': ourObject(lib, format) };
    const nasm = { 'prog.o': realAssemble(prog, format), 'lib.o': realAssemble(lib, format) };
    const strip = (o: Uint8Array) => readElf(o).sections.filter((s) => s.type === SHT_PROGBITS).map((s) => Buffer.from(o.subarray(s.offset, s.offset + s.size)).toString('hex'));
    expect(strip(ours['prog.o'])).toEqual(strip(nasm['prog.o']));
    expect(strip(ours['lib.o'])).toEqual(strip(nasm['lib.o']));
    const linked = link(Object.entries(ours).map(([name, bytes]) => ({ name, bytes })), { emulation });
    expect(linked.errors).toEqual([]);
    if (hasTool('ld')) {
      const reference = realLd(['-m', emulation], nasm);
      expect(loaded(linked.bytes!)).toEqual(loaded(reference.output!));
      expect(readElf(linked.bytes!).header.entry).toBe(readElf(reference.output!).header.entry);
    }
  });
});
