import { Code } from 'iced-x86';
import { describe, expect, it } from 'vitest';
import { loadableSegments, symbolByName } from '../../machine/formats/elf-access.ts';
import { EM_386, EM_X86_64, ET_EXEC, PF_R, PF_W, PF_X } from '../../machine/formats/elf-constants.ts';
import { readElf } from '../../machine/formats/elf-reader.ts';
import type { ElfFile } from '../../machine/formats/elf-types.ts';
import { link } from '../../tools/linker/link.ts';
import { hasRealNasm } from '../helpers/real-nasm.ts';
import { assemble } from './binutils.ts';
import { LIB32, LIB64, PROG32, PROG64 } from './fixtures.ts';
import { addressOf, decodeAt, wordsAt } from './image.ts';

function linked(objects: Record<string, Uint8Array>, options: Parameters<typeof link>[1] = {}): ElfFile {
  const result = link(Object.entries(objects).map(([name, bytes]) => ({ name, bytes })), options);
  expect(result.errors).toEqual([]);
  expect(result.bytes).not.toBeNull();
  return readElf(result.bytes!, { type: ET_EXEC });
}

/** [flags, vaddr, memsz] of each PT_LOAD, for readable assertions. */
function segmentSummary(file: ElfFile): [string, string, number][] {
  const flagText = (f: number) => `${f & PF_R ? 'R' : '-'}${f & PF_W ? 'W' : '-'}${f & PF_X ? 'X' : '-'}`;
  return loadableSegments(file).map(({ header }) => [flagText(header.flags), `0x${header.vaddr.toString(16)}`, Number(header.memsz)]);
}

describe.skipIf(!hasRealNasm())('linking NASM objects (i386)', () => {
  const objects = () => ({ 'prog.o': assemble(PROG32, 'elf32'), 'lib.o': assemble(LIB32, 'elf32') });

  it('lays out headers, code, read-only data and data+bss segments like ld', () => {
    const file = linked(objects());
    expect(file.header.machine).toBe(EM_386);
    expect(file.header.entry).toBe(0x08049000n);
    expect(addressOf(file, '_start')).toBe(0x08049000n);
    expect(segmentSummary(file)).toEqual([
      ['R--', '0x8048000', 0xb4],
      ['R-X', '0x8049000', 0x66],
      ['R--', '0x804a000', 0x10],
      ['RW-', '0x804b010', 0x1c + 100],
    ]);
    for (const { header } of loadableSegments(file)) {
      expect(header.align).toBe(0x1000n);
      expect(header.vaddr % 0x1000n).toBe(BigInt(header.offset % 0x1000));
    }
    const bss = loadableSegments(file)[3]!.header;
    expect(bss.filesz).toBe(0x1c);
  });

  it('names every function and label, with input-order addresses', () => {
    const file = linked(objects());
    expect(addressOf(file, 'strlen')).toBe(0x08049040n);
    expect(addressOf(file, 'strlen.loop')).toBe(0x08049046n);
    expect(addressOf(file, 'write')).toBe(0x08049050n);
    expect(addressOf(file, 'table')).toBe(0x0804a000n);
    expect(addressOf(file, 'msg')).toBe(0x0804b010n);
    expect(addressOf(file, 'counter')).toBe(0x0804b028n);
    expect(addressOf(file, 'scratch')).toBe(0x0804b02cn);
    expect(addressOf(file, '_end')).toBe(0x0804b02cn + 100n);
    expect(symbolByName(file, 'strlen')!.type).toBe(2);
  });

  it('applies absolute and PC-relative relocations', () => {
    const file = linked(objects());
    const [pushMsg, callStrlen, , , , , callWrite, loadTable] = decodeAt(file, '_start', 8);
    expect(pushMsg!.immediate32).toBe(Number(addressOf(file, 'msg')));
    expect(callStrlen!.code).toBe(Code.Call_rel32_32);
    expect(callStrlen!.nearBranchTarget).toBe(addressOf(file, 'strlen'));
    expect(callWrite!.nearBranchTarget).toBe(addressOf(file, 'write'));
    expect(loadTable!.memoryDisplacement).toBe(addressOf(file, 'table') + 8n);
    expect(wordsAt(file, addressOf(file, 'ptrs'), 4, 4)).toEqual([
      addressOf(file, 'msg'), addressOf(file, '_start'), addressOf(file, 'table'), addressOf(file, 'scratch') + 4n,
    ]);
  });

  it('puts code at -Ttext and keeps the headers page below it', () => {
    const file = linked(objects(), { textAddress: 0x100000n });
    expect(file.header.entry).toBe(0x100000n);
    expect(segmentSummary(file).map(([f, a]) => `${f} ${a}`)).toEqual(['R-- 0xff000', 'R-X 0x100000', 'R-- 0x101000', 'RW- 0x102010']);
    expect(decodeAt(file, '_start', 2)[1]!.nearBranchTarget).toBe(addressOf(file, 'strlen'));
  });

  it('makes one RWX segment with -N', () => {
    const result = link([{ name: 'prog.o', bytes: objects()['prog.o'] }, { name: 'lib.o', bytes: objects()['lib.o'] }], { mode: 'omagic' });
    expect(result.warnings).toEqual(['ld: warning: a.out has a LOAD segment with RWX permissions']);
    const file = readElf(result.bytes!);
    expect(segmentSummary(file)).toEqual([['RWX', '0x8048060', 0xf8]]);
  });
});

describe.skipIf(!hasRealNasm())('linking NASM objects (x86-64)', () => {
  const objects = () => ({ 'prog.o': assemble(PROG64, 'elf64'), 'lib.o': assemble(LIB64, 'elf64') });

  it('uses the x86-64 base and relocates RIP-relative, 32S and 64-bit references', () => {
    const file = linked(objects());
    expect(file.header.machine).toBe(EM_X86_64);
    expect(file.header.entry).toBe(0x401000n);
    expect(segmentSummary(file).map(([f, a]) => `${f} ${a}`)).toEqual(['R-- 0x400000', 'R-X 0x401000', 'R-- 0x402000', 'RW- 0x403020']);
    const [leaMsg, callStrlen] = decodeAt(file, '_start', 2);
    expect(leaMsg!.isIpRelMemoryOperand).toBe(true);
    expect(leaMsg!.ipRelMemoryAddress).toBe(addressOf(file, 'msg'));
    expect(callStrlen!.nearBranchTarget).toBe(addressOf(file, 'strlen'));
    const movTable = decodeAt(file, '_start', 7)[6]!;
    expect(movTable.memoryDisplacement).toBe(addressOf(file, 'table') + 8n);
    expect(wordsAt(file, addressOf(file, 'ptrs'), 8, 4)).toEqual([
      addressOf(file, 'msg'), addressOf(file, '_start'), addressOf(file, 'table'), addressOf(file, 'scratch') + 4n,
    ]);
  });

  it('infers the emulation from the first object and checks the others against it', () => {
    const result = link([
      { name: 'prog.o', bytes: assemble(PROG64, 'elf64') },
      { name: 'lib32.o', bytes: assemble(LIB32, 'elf32') },
    ]);
    expect(result.bytes).toBeNull();
    expect(result.errors).toEqual(["ld: i386 architecture of input file `lib32.o' is incompatible with i386:x86-64 output"]);
  });
});

describe.skipIf(!hasRealNasm())('Multiboot kernels', () => {
  const header = `
section .multiboot align=4
  dd 0x1BADB002, 3, -(0x1BADB002 + 3)
`;
  const kernel = `
section .text
global _start
_start:
  mov esp, stack_top
  times 20000 nop
  hlt
section .bss
  resb 4096
stack_top:
`;

  it('puts .multiboot sections first in the code, within the first 8 KiB of the file', () => {
    // The header object comes second on the command line: it still lands before all code.
    const result = link([{ name: 'kernel.o', bytes: assemble(kernel, 'elf32') }, { name: 'header.o', bytes: assemble(header, 'elf32') }], {
      emulation: 'elf_i386', textAddress: 0x100000n,
    });
    expect(result.errors).toEqual([]);
    const bytes = result.bytes!;
    const file = readElf(bytes);
    const magicAt = Buffer.from(bytes).indexOf(Buffer.from([0x02, 0xb0, 0xad, 0x1b]));
    expect(magicAt).toBeGreaterThanOrEqual(0);
    expect(magicAt).toBeLessThan(8192);
    expect(magicAt % 4).toBe(0);
    const code = loadableSegments(file).find(({ header: h }) => h.flags & PF_X)!;
    expect(code.header.vaddr).toBe(0x100000n);
    expect(code.header.offset).toBe(magicAt);
    expect(addressOf(file, '_start')).toBe(0x100010n);
    expect(file.header.entry).toBe(0x100010n);
  });

  it('links a kernel with -N as one segment at -Ttext, header first, offset congruent to the address', () => {
    const result = link([{ name: 'kernel.o', bytes: assemble(kernel, 'elf32') }, { name: 'header.o', bytes: assemble(header, 'elf32') }], {
      emulation: 'elf_i386', textAddress: 0x100000n, mode: 'omagic', warnRwx: false,
    });
    expect(result.warnings).toEqual([]);
    const file = readElf(result.bytes!);
    const [segment, ...others] = loadableSegments(file);
    expect(others).toEqual([]);
    expect(segment!.header.vaddr).toBe(0x100000n);
    expect(segment!.header.offset % Number(segment!.header.align)).toBe(0);
    expect(Array.from(segment!.data.subarray(0, 4))).toEqual([0x02, 0xb0, 0xad, 0x1b]);
    // header, padding to .text, mov + 20000 nops + hlt, padding to the bss alignment, the stack.
    expect(segment!.header.memsz).toBe(0xcn + 4n + 20006n + 2n + 4096n);
  });

  it('places data and bss at -Tdata and -Tbss', () => {
    const objects = [{ name: 'prog.o', bytes: assemble(PROG32, 'elf32') }, { name: 'lib.o', bytes: assemble(LIB32, 'elf32') }];
    const file = readElf(link(objects, { dataAddress: 0x200000n, bssAddress: 0x300000n }).bytes!);
    expect(addressOf(file, 'msg')).toBe(0x200000n);
    expect(addressOf(file, 'scratch')).toBe(0x300000n);
    expect(segmentSummary(file).slice(-2)).toEqual([['RW-', '0x200000', 0x1c], ['RW-', '0x300000', 100]]);
    const [pushMsg] = decodeAt(file, '_start', 1);
    expect(pushMsg!.immediate32).toBe(0x200000);
  });
});
