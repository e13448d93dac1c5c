import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Decoder, DecoderOptions, Formatter, FormatterSyntax } from 'iced-x86';
import { describe, expect, it } from 'vitest';
import { BuildError, availableAbis, buildUserland } from '../../tools/build/userland.ts';
import { nativeBuild, nativeSkipReason } from './native.ts';

const skip = nativeSkipReason();
if (skip) it.skip(`userland build not checked: ${skip}`, () => {});

// The rows of the kernel's syscall list, read from the generated include the wrappers come from.
function syscallRows(): { wrapper: string; nr: number; args: number }[] {
  const text = readFileSync('userland/include/syscalls.inc', 'utf8');
  return [...text.matchAll(/^\s*%1 (\w+), (\w+), (\d+), (\d), (-?\d+)$/gm)].map((m) => ({
    wrapper: m[2]!,
    nr: Number(m[3]),
    args: Number(m[4]),
  }));
}

// The file bytes at a virtual address of a static ELF32 program, from its PT_LOAD headers.
function bytesAt(file: Buffer, address: number): Buffer {
  const phoff = file.readUInt32LE(28);
  const phentsize = file.readUInt16LE(42);
  for (let i = 0; i < file.readUInt16LE(44); i++) {
    const ph = phoff + i * phentsize;
    const [type, offset, vaddr, filesz] = [0, 4, 8, 16].map((o) => file.readUInt32LE(ph + o)) as [number, number, number, number];
    if (type === 1 && address >= vaddr && address < vaddr + filesz) return file.subarray(offset + address - vaddr, offset + filesz);
  }
  throw new Error(`address ${address.toString(16)} is in no loaded segment`);
}

// The code of a function in a linked program, disassembled up to its first ret.
function disassemble(program: string, symbol: string): string[] {
  const nm = spawnSync('nm', [program], { encoding: 'utf8' }).stdout;
  const address = parseInt(new RegExp(`^([0-9a-f]+) T ${symbol}$`, 'm').exec(nm)![1]!, 16);
  const decoder = new Decoder(32, bytesAt(readFileSync(program), address), DecoderOptions.None);
  decoder.ip = BigInt(address);
  const formatter = new Formatter(FormatterSyntax.Nasm);
  const lines: string[] = [];
  while (decoder.canDecode && lines.at(-1) !== 'ret' && lines.length < 40) {
    const instruction = decoder.decode();
    lines.push(formatter.format(instruction));
    instruction.free();
  }
  return lines;
}

describe('the userland build', () => {
  it('names the mechanisms it knows when given another', async () => {
    expect(availableAbis()).toContain('int80');
    await expect(buildUserland({ abi: 'smoke-signals', nasm: 'nasm', ld: 'ld' })).rejects.toThrow(
      new BuildError("unknown system-call mechanism 'smoke-signals': userland/include/abi has " + availableAbis().join(', ')),
    );
  });

  it('says which tool it could not run', async () => {
    await expect(buildUserland({ nasm: '/nonexistent/nasm', ld: 'ld', outDir: 'build/userland/never' })).rejects.toThrow(
      /cannot run \/nonexistent\/nasm/,
    );
  });
});

describe.skipIf(skip)('the int 0x80 wrappers', () => {
  it('exist for every row of the syscall table, as functions', async () => {
    const { outDir } = await nativeBuild();
    const nm = spawnSync('nm', [join(outDir, 'libc', 'syscalls.o')], { encoding: 'utf8' }).stdout;
    const rows = syscallRows();
    expect(rows.length).toBeGreaterThan(30);
    for (const { wrapper } of rows) expect(nm).toMatch(new RegExp(`^[0-9a-f]+ T ${wrapper}$`, 'm'));
  });

  it('load the cdecl arguments into the i386 registers, trap, and turn -errno into errno', async () => {
    const { programs } = await nativeBuild();
    const hello = programs.get('hello')!;
    expect(disassemble(hello, 'write')).toEqual([
      'push ebx',
      'mov ebx,[esp+8]',
      'mov ecx,[esp+0Ch]',
      'mov edx,[esp+10h]',
      'mov eax,4',
      'int 80h',
      'pop ebx',
      'cmp eax,0FFFFF001h',
      expect.stringMatching(/^jae /),
      'ret',
    ]);
    expect(disassemble(hello, 'getpid')).toEqual(['mov eax,14h', 'int 80h', 'cmp eax,0FFFFF001h', expect.stringMatching(/^jae /), 'ret']);
    expect(disassemble(hello, '__syscall_error')).toEqual([
      'neg eax',
      expect.stringMatching(/^mov \[[0-9A-F]+h\],eax$/),
      'mov eax,0FFFFFFFFh',
      'ret',
    ]);
  });
});

// The mechanisms only this kernel has (int 0x81, the call gate, int 0x82 and its block) cannot
// run on Linux (test/userland/mechanisms.test.ts skips them); their builds are checked here, and
// run on the kernel in test/boot-kernel/mechanisms.test.ts.
describe.skipIf(skip)("the wrappers of this kernel's own mechanisms, built with the host's nasm and ld", () => {
  it('stack ABI: the arguments stay where the caller put them; errno comes from edx', async () => {
    const { programs } = await nativeBuild('stack');
    expect(disassemble(programs.get('hello')!, 'write')).toEqual(['mov eax,4', 'int 81h', 'test edx,edx', expect.stringMatching(/^jne /), 'ret']);
    expect(disassemble(programs.get('hello')!, '__syscall_error')).toEqual([
      expect.stringMatching(/^mov \[[0-9A-F]+h\],edx$/),
      'mov eax,0FFFFFFFFh',
      'ret',
    ]);
  });

  it('call gate: six dwords at esp for the CPU to copy, a far call through 0x33, the copies dropped', async () => {
    const { programs } = await nativeBuild('callgate');
    expect(disassemble(programs.get('hello')!, 'write')).toEqual([
      'sub esp,0Ch',
      'push dword [esp+18h]',
      'push dword [esp+18h]',
      'push dword [esp+18h]',
      'mov eax,4',
      'call 0033h:0',
      'add esp,18h',
      'cmp eax,0FFFFF001h',
      expect.stringMatching(/^jae /),
      'ret',
    ]);
  });

  it('argument block: the number and arguments into the block at 0x8000, the result out of it', async () => {
    const { programs } = await nativeBuild('argblock');
    expect(disassemble(programs.get('hello')!, 'getpid')).toEqual([
      'mov dword [8000h],14h',
      'int 82h',
      'mov eax,[8010h]',
      'cmp eax,0FFFFF001h',
      expect.stringMatching(/^jae /),
      'ret',
    ]);
  });
});
