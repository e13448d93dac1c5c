import { describe, expect, it } from 'vitest';
import { writeElfObject } from '../../tools/elf/write-object.ts';
import { link } from '../../tools/linker/link.ts';
import { sampleModule } from '../elf/modules.ts';
import { hasRealNasm } from '../helpers/real-nasm.ts';
import { assemble, hasTool, realLd } from './binutils.ts';
import { LIB32, PROG32, PROG64 } from './fixtures.ts';

const files = (objects: Record<string, Uint8Array>) => Object.entries(objects).map(([name, bytes]) => ({ name, bytes }));

describe.skipIf(!hasRealNasm())('link errors', () => {
  // The offsets are the ones GNU ld 2.40 prints for the same object.
  it('reports each undefined reference with its object, section and offset, and writes nothing', () => {
    const result = link(files({ 'prog.o': assemble(PROG32, 'elf32') }));
    expect(result.bytes).toBeNull();
    expect(result.errors).toEqual([
      "ld: prog.o:(.text+0x6): undefined reference to `strlen'",
      "ld: prog.o:(.text+0x16): undefined reference to `write'",
      "ld: prog.o:(.text+0x1b): undefined reference to `table'",
      "ld: prog.o:(.text+0x21): undefined reference to `counter'",
      "ld: prog.o:(.text+0x27): undefined reference to `scratch'",
      "ld: prog.o:(.data+0xf): undefined reference to `table'",
      "ld: prog.o:(.data+0x13): undefined reference to `scratch'",
    ]);
  });

  it('rejects a second strong definition and names both places', () => {
    const extra = assemble('section .text\nglobal write\n  nop\nwrite: ret\n', 'elf32');
    const result = link(files({ 'prog.o': assemble(PROG32, 'elf32'), 'lib.o': assemble(LIB32, 'elf32'), 'extra.o': extra }));
    expect(result.bytes).toBeNull();
    expect(result.errors).toEqual(["ld: extra.o:(.text+0x1): multiple definition of `write'; lib.o:(.text+0x10): first defined here"]);
  });

  it('rejects relocation types a static link cannot resolve, naming the symbol', () => {
    const got = assemble('section .text\nglobal _start\nextern x\n_start: mov rax, [rel x wrt ..got]\n', 'elf64');
    const def = assemble('global x\nsection .data\nx: dq 0\n', 'elf64');
    const result = link(files({ 'got.o': got, 'def.o': def }));
    expect(result.bytes).toBeNull();
    expect(result.errors[0]).toMatch(/^ld: got\.o:\(\.text\+0x3\): unsupported relocation type 9 against symbol `x'/);
  });

  it('links a PLT call as a direct call, as ld does in a static link', () => {
    const call = assemble('section .text\nglobal _start\nextern x\n_start: call x wrt ..plt\n', 'elf64');
    const def = assemble('global x\nsection .text\nx: ret\n', 'elf64');
    const result = link(files({ 'call.o': call, 'def.o': def }));
    expect(result.errors).toEqual([]);
    const text = result.bytes!.subarray(0x1000, 0x1005);
    // e8 rel32: x is at 0x401010 (the next input section, aligned to 16), the call ends at 0x401005.
    expect(Array.from(text)).toEqual([0xe8, 0x0b, 0x00, 0x00, 0x00]);
  });

  it('warns like ld when the entry symbol is missing and starts at .text', () => {
    const result = link(files({ 'lib.o': assemble(LIB32, 'elf32') }));
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual(['ld: warning: cannot find entry symbol _start; defaulting to 08049000']);
    expect(result.bytes).not.toBeNull();
  });

  it('refuses sections that overlap in memory, as ld does', () => {
    const result = link(files({ 'prog.o': assemble(PROG32, 'elf32'), 'lib.o': assemble(LIB32, 'elf32') }), { dataAddress: 0x08049010n });
    expect(result.bytes).toBeNull();
    expect(result.errors).toEqual(['ld: section .data VMA [0000000008049010,000000000804902b] overlaps section .text VMA [0000000008049000,0000000008049065]']);
  });

  it('refuses an i386 image that runs past 4 GiB', () => {
    const result = link(files({ 'prog.o': assemble(PROG32, 'elf32'), 'lib.o': assemble(LIB32, 'elf32') }), { textAddress: 0xffffff80n });
    expect(result.bytes).toBeNull();
    expect(result.errors[0]).toBe('ld: section .rodata VMA [0000000100000000,000000010000000f] runs past the end of the 32-bit address space');
  });

  it('mixes no architectures', () => {
    const result = link(files({ 'prog.o': assemble(PROG64, 'elf64') }), { emulation: 'elf_i386' });
    expect(result.errors).toEqual(["ld: i386:x86-64 architecture of input file `prog.o' is incompatible with i386 output"]);
  });
});

describe('malformed input files', () => {
  it('says what is wrong with a file that is not ELF', () => {
    const result = link(files({ 'junk.o': new TextEncoder().encode('this is not an object file\n') }));
    expect(result.bytes).toBeNull();
    expect(result.errors).toEqual(['ld: junk.o: file format not recognized: not an ELF file: bad magic 74 68 69 73 (expected 7f 45 4c 46)']);
  });

  it('refuses a section alignment that is not a power of two', () => {
    const object = writeElfObject(sampleModule(32));
    // Section 1 (.text): sh_addralign is at offset 32 of its 40-byte header, the table at 0x40.
    new DataView(object.buffer).setUint32(0x40 + 40 + 32, 24, true);
    expect(link(files({ 'odd.o': object })).errors).toEqual(['ld: odd.o: section .text has alignment 24, not a power of two up to 2097152']);
  });

  it('reports no input files', () => {
    expect(link([]).errors).toEqual(['ld: no input files']);
  });

  it.skipIf(!hasRealNasm())('reports a truncated object precisely', () => {
    const whole = assemble(LIB32, 'elf32');
    const result = link(files({ 'cut.o': whole.subarray(0, 300) }));
    expect(result.errors).toHaveLength(1);
    expect(result.errors).toEqual([
      'ld: cut.o: file format not recognized: section header table (8 entries of 40 bytes) at bytes 0x40-0x180 extends past the end of the file (0x12c bytes)',
    ]);
  });

  it.skipIf(!hasRealNasm())('refuses an executable as input', () => {
    const exe = link(files({ 'prog.o': assemble(PROG32, 'elf32'), 'lib.o': assemble(LIB32, 'elf32') })).bytes!;
    expect(link(files({ 'prog': exe })).errors).toEqual([
      'ld: prog: not a relocatable object file (e_type 2); only .o files can be linked',
    ]);
  });
});

// Each row: NASM line referring to an absolute symbol s, the value of s, and whether GNU ld accepts it
// (observed with ld 2.40). The code is linked at 0x1000, so PC-relative fields see s - 0x1000.
type OverflowCase = [format: 'elf32' | 'elf64', line: string, value: string, fits: boolean, type: string];
const OVERFLOW_CASES: OverflowCase[] = [
  ['elf32', 'dw s', '0xffff', true, 'R_386_16'],
  ['elf32', 'dw s', '0x10000', false, 'R_386_16'],
  ['elf32', 'dw s', '-0x10000', true, 'R_386_16'],
  ['elf32', 'dw s', '-0x10001', false, 'R_386_16'],
  ['elf32', 'db s', '0xff', true, 'R_386_8'],
  ['elf32', 'db s', '0x100', false, 'R_386_8'],
  ['elf32', 'db s', '-0x100', true, 'R_386_8'],
  ['elf32', 'db s', '-0x101', false, 'R_386_8'],
  ['elf32', 'dw s-$', '0x10fff', true, 'R_386_PC16'],
  ['elf32', 'dw s-$', '0x11000', false, 'R_386_PC16'],
  ['elf32', 'dw s-$', '-0xf000', true, 'R_386_PC16'],
  ['elf32', 'dw s-$', '-0xf001', false, 'R_386_PC16'],
  ['elf32', 'db s-$', '0x107f', true, 'R_386_PC8'],
  ['elf32', 'db s-$', '0x1080', false, 'R_386_PC8'],
  ['elf32', 'db s-$', '0xf80', true, 'R_386_PC8'],
  ['elf32', 'db s-$', '0xf7f', false, 'R_386_PC8'],
  ['elf32', 'dd s', '0xffffffff', true, 'R_386_32'],
  ['elf64', 'dw s', '0xffff', true, 'R_X86_64_16'],
  ['elf64', 'dw s', '-0x10001', false, 'R_X86_64_16'],
  ['elf64', 'db s', '-0x100', true, 'R_X86_64_8'],
  ['elf64', 'db s', '0x100', false, 'R_X86_64_8'],
  ['elf64', 'dw s-$', '0x10fff', true, 'R_X86_64_PC16'],
  ['elf64', 'dw s-$', '-0xf001', false, 'R_X86_64_PC16'],
  ['elf64', 'db s-$', '0xf80', true, 'R_X86_64_PC8'],
  ['elf64', 'db s-$', '0xf7f', false, 'R_X86_64_PC8'],
  ['elf64', 'dd s', '0xffffffff', true, 'R_X86_64_32'],
  ['elf64', 'dd s', '0x100000000', false, 'R_X86_64_32'],
  ['elf64', 'dd s', '-1', false, 'R_X86_64_32'],
  ['elf64', 'mov rax, [s]', '0x7fffffff', true, 'R_X86_64_32S'],
  ['elf64', 'mov rax, [s]', '0x80000000', false, 'R_X86_64_32S'],
  ['elf64', 'mov rax, [s]', '-0x80000000', true, 'R_X86_64_32S'],
  ['elf64', 'mov rax, [s]', '-0x80000001', false, 'R_X86_64_32S'],
  ['elf64', 'dd s-$', '0x80000fff', true, 'R_X86_64_PC32'],
  ['elf64', 'dd s-$', '0x80001000', false, 'R_X86_64_PC32'],
  ['elf64', 'dd s-$', '-0x7ffff000', true, 'R_X86_64_PC32'],
  ['elf64', 'dd s-$', '-0x7ffff001', false, 'R_X86_64_PC32'],
  ['elf64', 'dq s', '-1', true, 'R_X86_64_64'],
];

describe.skipIf(!hasRealNasm())('relocation overflow', () => {
  it.each(OVERFLOW_CASES)('%s `%s` with s = %s fits: %s', (format, line, value, fits, type) => {
    const objects = {
      'use.o': assemble(`section .text\nglobal _start\nextern s\n_start:\n${line}\n`, format),
      'def.o': assemble(`global s\ns equ ${value}\n`, format),
    };
    const result = link(files(objects), { textAddress: 0x1000n });
    if (fits) {
      expect(result.errors).toEqual([]);
    } else {
      expect(result.bytes).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(new RegExp(`^ld: use\\.o:\\(\\.text\\+0x[0-9a-f]+\\): relocation truncated to fit: ${type} against symbol \`s' \\(value -?0x[0-9a-f]+`));
    }
    if (hasTool('ld')) {
      const emulation = format === 'elf32' ? 'elf_i386' : 'elf_x86_64';
      expect(realLd(['-m', emulation, '-Ttext', '0x1000'], objects).output !== null).toBe(fits);
    }
  });
});
