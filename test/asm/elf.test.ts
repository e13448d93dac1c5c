// The object model the front end hands to the ELF writer for -f elf32 / -f elf64: NASM's section
// attributes, symbols (local labels stay local), and relocations from instructions and data.
// The expectations are what `readelf` shows for NASM 2.16's objects of the same source.
import { describe, expect, it } from 'vitest';
import { assemble } from '../../tools/asm/assemble.ts';
import { encodeInstruction } from '../../tools/asm/encode/index.ts';
import { memoryFiles } from '../../tools/asm/files.ts';
import type { ObjectModule } from '../../tools/asm/object.ts';
import { writeElfObject } from '../../tools/elf/write-object.ts';

const SOURCE = `global g1, gfun:function
extern ext1
CONST equ 42
section .text
gfun: mov eax, g1
.inner: call ext1
ret
section .data
g1: dd g1, ext1 + 8, CONST
dd ext1 - $
dq gfun
section .bss
buf: resb 16
section .rodata
db 'x'
section .custom
db 1
`;

function objectOf(format: 'elf32' | 'elf64'): ObjectModule {
  const r = assemble(SOURCE, 'e2.asm', { format, encoder: encodeInstruction, writeObject: writeElfObject, files: memoryFiles({}) });
  expect(r.diagnostics.filter((d) => d.severity !== 'warning')).toEqual([]);
  return r.object!;
}

describe('ELF objects', () => {
  it.each(['elf32', 'elf64'] as const)('gives sections NASM\'s default attributes (%s)', (format) => {
    const sections = objectOf(format).sections.map((s) => [s.name, s.kind, s.align, s.alloc, s.write, s.exec, s.size]);
    expect(sections).toEqual([
      ['.text', 'progbits', 16, true, false, true, 11],
      ['.data', 'progbits', 4, true, true, false, 24],
      ['.bss', 'nobits', 4, true, true, false, 16],
      ['.rodata', 'progbits', 4, true, false, false, 1],
      ['.custom', 'progbits', 1, true, false, false, 1],
    ]);
  });

  it('lists externs, constants, local labels and globals in the order they appear, with their bindings', () => {
    const symbols = objectOf('elf32').symbols.map((s) => [s.name, s.section, s.value, s.binding, s.type]);
    expect(symbols).toEqual([
      ['ext1', null, 0n, 'extern', 'notype'],
      ['CONST', null, 42n, 'local', 'notype'],
      ['gfun', '.text', 0n, 'global', 'func'],
      ['gfun.inner', '.text', 5n, 'local', 'notype'],
      ['g1', '.data', 0n, 'global', 'notype'],
      ['buf', '.bss', 0n, 'local', 'notype'],
    ]);
  });

  it('relocates data against section symbols for defined labels and against externs by name', () => {
    const data = objectOf('elf64').sections[1]!.relocations.map((r) => [r.offset, r.size, r.pcRelative, r.symbol, r.symbolIsSection, r.addend]);
    expect(data).toEqual([
      [0, 4, false, '.data', true, 0n],
      [4, 4, false, 'ext1', false, 8n],
      [12, 4, true, 'ext1', false, 0n],
      [16, 8, false, '.text', true, 0n],
    ]);
  });

  it('relocates a 64-bit data field in ELF32 as its low dword, with NASM\'s warning', () => {
    const r = assemble(SOURCE, 'e2.asm', { format: 'elf32', encoder: encodeInstruction, writeObject: writeElfObject, files: memoryFiles({}) });
    expect(r.object!.sections[1]!.relocations[3]).toMatchObject({ offset: 16, size: 4, symbol: '.text' });
    expect(r.diagnostics.map((d) => `${d.line}: ${d.message}`)).toEqual(['11: 64-bit unsigned relocation zero-extended from 32 bits [-w+zext-reloc]']);
  });

  it('relocates instruction fields from the encoder\'s fixups', () => {
    const text = objectOf('elf32').sections[0]!.relocations.map((r) => [r.offset, r.size, r.pcRelative, r.symbol, r.addend]);
    expect(text).toEqual([
      [1, 4, false, '.data', 0n],
      [6, 4, true, 'ext1', -4n],
    ]);
  });
});

describe('externs', () => {
  it('writes only the externs the code refers to, in the order they were declared', () => {
    const r = assemble('extern a, b, c, d\nsection .text\ncall c\ndd a\n', 'x.asm', { format: 'elf32', encoder: encodeInstruction, writeObject: writeElfObject, files: memoryFiles({}) });
    expect(r.object!.symbols.map((s) => s.name)).toEqual(['a', 'c']);
  });

  it('sees an extern declared after its first use', () => {
    const r = assemble('section .text\npush dword [late]\nextern late\n', 'x.asm', { format: 'elf32', encoder: encodeInstruction, writeObject: writeElfObject, files: memoryFiles({}) });
    expect(r.ok).toBe(true);
    expect(r.object!.sections[0]!.relocations.map((x) => x.symbol)).toEqual(['late']);
  });
});

describe('section order', () => {
  const names = (source: string): string[] =>
    assemble(source, 'x.asm', { format: 'elf64', encoder: encodeInstruction, writeObject: writeElfObject, files: memoryFiles({}) }).object!.sections.map((s) => s.name);

  it('puts the default .text, used without a SECTION line, after the declared sections', () => {
    expect(names('nop\nsection .data\ndb 1\nsection .bss\nresb 1\n')).toEqual(['.data', '.bss', '.text']);
  });

  it('puts .text where a SECTION line names it', () => {
    expect(names('nop\nsection .data\ndb 1\nsection .text\nnop\nsection .bss\nresb 1\n')).toEqual(['.data', '.text', '.bss']);
  });

  it('has no .text when nothing is placed in it', () => {
    expect(names('section .data\ndb 1\n')).toEqual(['.data']);
  });
});

describe('symbol types and sizes', () => {
  it('takes the type and size written after GLOBAL', () => {
    const r = assemble('global f:function (f.end - f), d:data 4\nf: nop\nnop\n.end:\nsection .data\nd: dd 1\n', 'x.asm', {
      format: 'elf64', encoder: encodeInstruction, writeObject: writeElfObject, files: memoryFiles({}),
    });
    expect(r.object!.symbols.map((s) => [s.name, s.type, s.size])).toEqual([
      ['f', 'func', 2n],
      ['f.end', 'notype', 0n],
      ['d', 'object', 4n],
    ]);
  });
});
