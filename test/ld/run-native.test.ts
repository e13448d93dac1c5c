import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { link } from '../../tools/linker/link.ts';
import { hasRealNasm } from '../helpers/real-nasm.ts';
import { assemble } from './binutils.ts';
import { LIB32, LIB64 } from './fixtures.ts';

// The host is an x86 Linux machine: executables from this linker run on it as they will on the
// emulated PC, with Linux's system call numbers. Output and exit status show that every
// relocation, the entry point and the segment permissions are right.

const MAIN32 = `
section .text
global _start
extern strlen, write
_start:
  push greeting
  call strlen
  add esp, 4
  mov esi, eax
  push eax
  push greeting
  push 1
  call write
  add esp, 12
  mov ebx, esi
  mov eax, 1
  int 0x80
section .rodata
greeting: db "linked by tools/ld", 10, 0
`;

const MAIN64 = `
section .text
global _start
extern strlen, write
_start:
  lea rdi, [rel greeting]
  call strlen
  mov r12, rax
  mov edi, 1
  lea rsi, [rel greeting]
  mov rdx, rax
  call write
  mov edi, r12d
  mov eax, 60
  syscall
section .rodata
greeting: db "linked by tools/ld", 10, 0
`;

const native = process.platform === 'linux' && process.arch === 'x64';

describe.skipIf(!native || !hasRealNasm())('executables run on the x86 host', () => {
  it.each([
    ['i386', MAIN32, LIB32, 'elf32', 'elf_i386'],
    ['x86-64', MAIN64, LIB64, 'elf64', 'elf_x86_64'],
  ] as const)('%s', (_, main, lib, format, emulation) => {
    const result = link([{ name: 'main.o', bytes: assemble(main, format) }, { name: 'lib.o', bytes: assemble(lib, format) }], { emulation });
    expect(result.errors).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'ld-run-'));
    try {
      const path = join(dir, 'program');
      writeFileSync(path, result.bytes!);
      chmodSync(path, 0o755);
      const run = spawnSync(path, [], { encoding: 'utf8' });
      expect(run.error).toBeUndefined();
      expect(run.stdout).toBe('linked by tools/ld\n');
      expect(run.status).toBe('linked by tools/ld\n'.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
