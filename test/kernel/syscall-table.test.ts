import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E, ERRNOS, strerror } from '../../kernel/errno.ts';
import { SYSCALLS } from '../../kernel/syscalls/table.ts';
import { TEACHING_BASE } from '../../kernel/syscalls/spec.ts';
import { generateSyscallFiles, staleGeneratedFiles } from '../../tools/gen/syscalls.ts';
import { hasRealNasm, realNasm } from '../helpers/real-nasm.ts';

// Linux's numbers, written out independently of the table, so a typo in either shows.
const LINUX_I386: Record<string, number> = {
  exit: 1, fork: 2, read: 3, write: 4, open: 5, close: 6, waitpid: 7, unlink: 10, execve: 11, chdir: 12,
  time: 13, lseek: 19, getpid: 20, kill: 37, mkdir: 39, rmdir: 40, dup: 41, pipe: 42, brk: 45, ioctl: 54,
  setpgid: 57, dup2: 63, getppid: 64, getpgrp: 65, gettimeofday: 78, stat: 106, fstat: 108, wait4: 114,
  uname: 122, getdents: 141, sched_yield: 158, nanosleep: 162, rt_sigreturn: 173, rt_sigaction: 174, rt_sigprocmask: 175,
  getcwd: 183, exit_group: 252, clock_gettime: 265,
};
const LINUX_X86_64: Record<string, number | null> = {
  read: 0, write: 1, open: 2, close: 3, stat: 4, fstat: 5, lseek: 8, brk: 12, ioctl: 16, pipe: 22,
  sched_yield: 24, dup: 32, dup2: 33, nanosleep: 35, getpid: 39, fork: 57, execve: 59, exit: 60, wait4: 61,
  kill: 62, uname: 63, getdents: 78, getcwd: 79, chdir: 80, mkdir: 83, rmdir: 84, unlink: 87,
  gettimeofday: 96, setpgid: 109, getppid: 110, getpgrp: 111, time: 201, clock_gettime: 228, exit_group: 231,
  rt_sigaction: 13, rt_sigprocmask: 14, rt_sigreturn: 15, waitpid: null,
};

describe('the syscall table', () => {
  it('uses Linux numbers for every call Linux has, and teaching numbers above its range otherwise', () => {
    for (const s of SYSCALLS) {
      if (s.i386 >= TEACHING_BASE) {
        expect(LINUX_I386[s.name], s.name).toBeUndefined();
        continue;
      }
      expect(s.i386, s.name).toBe(LINUX_I386[s.name]);
      expect(s.x86_64, s.name).toBe(LINUX_X86_64[s.name]);
    }
    expect(SYSCALLS.filter((s) => s.i386 < TEACHING_BASE)).toHaveLength(Object.keys(LINUX_I386).length);
  });

  it('has unique names and numbers in both ABIs', () => {
    const unique = (xs: readonly unknown[]): boolean => new Set(xs).size === xs.length;
    expect(unique(SYSCALLS.map((s) => s.name))).toBe(true);
    expect(unique(SYSCALLS.map((s) => s.i386))).toBe(true);
    expect(unique(SYSCALLS.map((s) => s.x86_64).filter((n) => n !== null))).toBe(true);
  });

  it('keeps buffer length references inside the argument list and at most six arguments', () => {
    for (const s of SYSCALLS) {
      expect(s.args.length, s.name).toBeLessThanOrEqual(6);
      for (const a of s.args) {
        if (a.kind === 'inbuf' || a.kind === 'outbuf') {
          const len = s.args[a.lenArg];
          expect(len?.kind, `${s.name}.${a.name}`).toBe('uint');
        }
      }
    }
  });

  it('names exit\'s libc wrapper _exit', () => {
    expect(SYSCALLS.find((s) => s.name === 'exit')?.wrapper).toBe('_exit');
  });
});

describe('the errno table', () => {
  it('has Linux values and glibc messages', () => {
    expect(E.ENOENT).toBe(2);
    expect(E.EFAULT).toBe(14);
    expect(E.ENOSYS).toBe(38);
    expect(E.EPIPE).toBe(32);
    expect(strerror(2)).toBe('No such file or directory');
    expect(strerror(9999)).toBe('Unknown error 9999');
    expect(ERRNOS.slice(0, 40).map((e) => e.value)).toEqual(ERRNOS.slice(0, 40).map((_, i) => i + 1));
    expect(E.EOVERFLOW).toBe(75);
    expect(ERRNOS.map((e) => e.value)).toEqual([...ERRNOS.map((e) => e.value)].sort((a, b) => a - b));
  });
});

describe('generated files', () => {
  it('are up to date with the tables (run tools/bin/launch tools/gen/syscalls.ts)', () => {
    expect(staleGeneratedFiles(resolve('.'))).toEqual([]);
  });

  it('say they are generated in their first line', () => {
    for (const f of generateSyscallFiles()) expect(f.text.split('\n')[0], f.path).toMatch(/GENERATED/);
  });

  it.skipIf(!hasRealNasm())('assemble with NASM, and SYSCALL_LIST makes one wrapper per call', () => {
    const source = [
      '%include "syscalls.inc"',
      '%include "errno.inc"',
      'bits 32',
      '%macro WRAP 5',
      '  global %2',
      '  %2: mov eax, %3',
      '  ret',
      '%endmacro',
      'SYSCALL_LIST WRAP',
      'dd __NR_write, __NR_write_ARGS, ENOENT, SYSCALL_COUNT',
    ].join('\n');
    const result = realNasm(source, 'bin', ['-I', 'userland/include/']);
    if (!result.ok) throw new Error(result.messages);
    const bytes = result.bytes;
    // Each wrapper is `mov eax, imm32` (5 bytes) + `ret`; the first is exit's.
    expect(bytes.length).toBe(SYSCALLS.length * 6 + 16);
    expect(bytes[0]).toBe(0xb8);
    expect(bytes[1]).toBe(1);
    const tail = new DataView(bytes.buffer, bytes.byteOffset + SYSCALLS.length * 6);
    expect([0, 4, 8, 12].map((o) => tail.getUint32(o, true))).toEqual([4, 3, 2, SYSCALLS.length]);
  });
});
