// The vDSO images as binutils sees them (readelf, objdump), vdso.asm against real NASM, and
// the time calls answered in user mode: no system call reaches the kernel for them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHT_DYNSYM, SHT_HASH } from '../../machine/formats/elf-constants.ts';
import { readElf } from '../../machine/formats/elf-reader.ts';
import type { Process } from '../../kernel/proc/process.ts';
import type { SyscallSpec } from '../../kernel/syscalls/spec.ts';
import { buildVdsoImages } from '../../tools/build/kernel.ts';
import type { SystemBuild } from '../../tools/build/system.ts';
import { assembleSource } from '../../tools/asm/toolchain.ts';
import { elfHash, layoutVdso, vdsoDefines } from '../../tools/build/vdso.ts';
import { hasRealNasm, realNasm } from '../helpers/real-nasm.ts';
import { BUILD_TIMEOUT_MS, bootedMachine, buildTestSystem, type TestMachine } from './machine.ts';

const images = buildVdsoImages();
const dir = mkdtempSync(join(tmpdir(), 'vdso-test-'));
for (const [name, bytes] of images) writeFileSync(join(dir, name), bytes);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasBinutils = spawnSync('readelf', ['-v'], { stdio: 'ignore' }).status === 0 && spawnSync('objdump', ['-v'], { stdio: 'ignore' }).status === 0;
const tool = (name: string, args: string[]): string => spawnSync(name, [...args], { encoding: 'utf8' }).stdout;

const EXPORTS = ['__kernel_vsyscall', '__vdso_clock_gettime', '__vdso_gettimeofday', '__vdso_time'];

describe.skipIf(!hasBinutils)('the vDSO images, by readelf and objdump', () => {
  for (const [name, sysenter] of [['vdso-int80.so', false], ['vdso-sysenter.so', true]] as const) {
    it(`${name} is an i386 shared object whose entry is __kernel_vsyscall, with the exported functions in .dynsym`, () => {
      const file = join(dir, name);
      const header = tool('readelf', ['-h', '-l', '-d', '-W', file]);
      expect(header).toMatch(/Type:\s+DYN \(Shared object file\)/);
      expect(header).toMatch(/Machine:\s+Intel 80386/);
      expect(header).toMatch(/^\s+LOAD\s+0x000000 0x00000000 0x00000000 .* R E 0x1000$/m);
      expect(header).toMatch(/^\s+DYNAMIC\s/m);
      expect(header).toContain('Library soname: [linux-gate.so.1]');
      // Through the section headers and, with -D, through the dynamic segment and its hash table alone.
      for (const args of [['--dyn-syms', '-W'], ['-D', '--dyn-syms', '-W']]) {
        const symbols = [...tool('readelf', [...args, file]).matchAll(/^\s+\d+: ([0-9a-f]{8})\s+\d+ FUNC\s+GLOBAL DEFAULT\s+1 (\S+)$/gm)];
        const names = symbols.map((m) => m[2]).sort();
        expect(names).toEqual([...EXPORTS, ...(sysenter ? ['__kernel_sysenter_return'] : [])].sort());
        const entry = /Entry point address:\s+0x([0-9a-f]+)/.exec(header)![1]!;
        expect(Number.parseInt(symbols.find((m) => m[2] === '__kernel_vsyscall')![1]!, 16)).toBe(Number.parseInt(entry, 16));
      }
      const code = tool('objdump', ['-d', '-M', 'intel', '--no-show-raw-insn', file]);
      const vsyscall = code.split('\n\n').find((block) => block.includes('<__kernel_vsyscall>:'))!;
      const instructions = vsyscall.split('\n').slice(1).map((line) => line.split('\t').slice(1).join(' ').replace(/\s+/g, ' ').trim());
      expect(instructions).toEqual(sysenter ? ['push ecx', 'push edx', 'push ebp', 'mov ebp,esp', 'sysenter'] : ['int 0x80', 'ret']);
    });
  }

  it('has a SysV hash table that finds every exported symbol through its bucket', () => {
    for (const bytes of images.values()) {
      const elf = readElf(bytes);
      const hash = elf.sections.find((s) => s.type === SHT_HASH)!;
      const dynsym = elf.sections.find((s) => s.type === SHT_DYNSYM)!;
      const strtab = elf.sections[dynsym.link]!;
      const view = new DataView(bytes.buffer, bytes.byteOffset);
      const word = (i: number): number => view.getUint32(hash.offset + 4 * i, true);
      const [nbucket, nchain] = [word(0), word(1)];
      expect(nchain).toBe(dynsym.size / 16);
      const nameOf = (index: number): string => {
        const at = strtab.offset + view.getUint32(dynsym.offset + 16 * index, true);
        return new TextDecoder().decode(bytes.subarray(at, bytes.indexOf(0, at)));
      };
      for (let index = 1; index < nchain; index++) {
        const name = nameOf(index);
        let i = word(2 + (elfHash(name) % nbucket));
        while (i !== 0 && nameOf(i) !== name) i = word(2 + nbucket + i);
        expect(i, name).toBe(index);
      }
    }
  });
});

describe('the vDSO builder', () => {
  it('refuses code that would need a relocation, or no __kernel_vsyscall', () => {
    const object = (source: string) => assembleSource(`bits 32\nsection .text\n${source}`, 'v.asm', { format: 'elf32' }).object!;
    expect(() => layoutVdso(object('global __kernel_vsyscall\n__kernel_vsyscall: mov eax, [data]\nret\ndata: dd 0'))).toThrow(/needs a relocation; the vDSO must be position-independent/);
    expect(() => layoutVdso(object('global other\nother: ret'))).toThrow('vdso.asm defines no global __kernel_vsyscall');
  });
});

describe.skipIf(!hasRealNasm())('vdso.asm', () => {
  it('assembles to the same code with real NASM', () => {
    for (const sysenter of [false, true]) {
      const defines = vdsoDefines(sysenter).map(([k, v]) => `-D${k}=${v}`);
      const real = realNasm(readFileSync('kernel/arch/i386/vdso.asm', 'utf8'), 'elf32', defines);
      if (!real.ok) throw new Error(real.messages);
      const text = (bytes: Uint8Array): Uint8Array => {
        const section = readElf(bytes).sections.find((s) => s.name === '.text')!;
        return bytes.subarray(section.offset, section.offset + section.size);
      };
      const ours = images.get(sysenter ? 'vdso-sysenter.so' : 'vdso-int80.so')!;
      expect(Buffer.from(text(ours)).equals(Buffer.from(text(real.bytes)))).toBe(true);
    }
  });
});

describe('the vDSO time calls on the running kernel', () => {
  let build: SystemBuild;
  beforeAll(async () => {
    build = await buildTestSystem();
  }, BUILD_TIMEOUT_MS);

  /** The system calls each program made while `line` ran, by name, with every process's name. */
  function callsDuring(m: TestMachine, line: string): { output: string; calls: string[] } {
    const calls: string[] = [];
    const k = m.system.kernel!;
    const record = (p: Process, spec: SyscallSpec): void => void calls.push(`${p.name} ${spec.name}`);
    k.tracer.global = { enter: record, exit: () => {}, signalDelivered: () => {}, processExit: () => {} };
    const output = m.command(line);
    k.tracer.global = null;
    return { output, calls };
  }

  it('answers __vdso_clock_gettime from the time page: clock makes two clock_gettime calls, not three', () => {
    const m = bootedMachine(build);
    const { output, calls } = callsDuring(m, 'clock');
    expect(output).toContain('__vdso_clock_gettime, no system call\n');
    expect(calls.filter((c) => c === 'clock clock_gettime')).toHaveLength(2);
    expect(calls).toContain('clock write');
  });

  it('traps only for what the time page does not hold (CLOCK_BOOTTIME, a bad clock id)', () => {
    const m = bootedMachine(build);
    const { output, calls } = callsDuring(m, 'usertests vdso');
    expect(output).toContain('PASS vdso\n');
    const timeCalls = calls.filter((c) => /^usertests (clock_gettime|gettimeofday|time)$/.test(c));
    // The test's own calls: clock_gettime twice, gettimeofday, time; the vDSO's: BOOTTIME and 99.
    expect(timeCalls).toEqual(['clock_gettime', 'clock_gettime', 'clock_gettime', 'clock_gettime', 'gettimeofday', 'time'].map((c) => `usertests ${c}`));
  });
});
