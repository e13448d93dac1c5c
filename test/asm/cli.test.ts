// `tools/nasm` as Makefiles call it: NASM's flags, default output names, messages on stderr,
// exit status, and no output file when assembly fails.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultOutputName, parseArgs } from '../../tools/asm/cli.ts';

const NASM = resolve('tools/nasm');
const dir = mkdtempSync(join(tmpdir(), 'asm-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(NASM, args, { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('tools/nasm', () => {
  it('assembles to the default output name with -D and -I, and writes a listing', () => {
    mkdirSync(join(dir, 'inc'), { recursive: true });
    writeFileSync(join(dir, 'inc', 'values.inc'), 'VALUE equ 0x42\n');
    writeFileSync(join(dir, 'prog.asm'), '%include "values.inc"\nstart: db VALUE, EXTRA\n mov ax, start\n');
    const r = run(['-f', 'bin', '-Iinc/', '-D', 'EXTRA=7', '-l', 'prog.lst', 'prog.asm']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect([...readFileSync(join(dir, 'prog'))]).toEqual([0x42, 7, 0xb8, 0, 0]);
    const listing = readFileSync(join(dir, 'prog.lst'), 'utf8');
    expect(listing).toContain('     2 00000000 4207                    start: db VALUE, EXTRA');
    expect(listing).toContain('     3 00000002 B8[0000]                 mov ax, start');
  });

  it('writes an ELF object named like the source with .o', () => {
    writeFileSync(join(dir, 'obj.asm'), 'global _start\n_start: ret\n');
    const r = run(['-felf64', 'obj.asm']);
    expect(r.status).toBe(0);
    const bytes = readFileSync(join(dir, 'obj.o'));
    expect([...bytes.subarray(0, 5)]).toEqual([0x7f, 0x45, 0x4c, 0x46, 2]);
  });

  it('reports every error NASM-style, exits non-zero and leaves no output file', () => {
    writeFileSync(join(dir, 'bad.asm'), 'db 1\ndb nowhere\ndw 1/0\n');
    writeFileSync(join(dir, 'bad.bin'), 'stale');
    const r = run(['-f', 'bin', '-o', 'bad.bin', 'bad.asm']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("bad.asm:2: error: symbol `nowhere' not defined\nbad.asm:3: error: division by zero\n");
    expect(existsSync(join(dir, 'bad.bin'))).toBe(false);
  });

  it('rejects unknown options and missing files in one line each', () => {
    expect(run(['-f', 'coff', 'x.asm'])).toEqual({ status: 1, stderr: "nasm: error: unrecognised output format `coff' - use -hf for a list\n" });
    expect(run(['missing.asm'])).toEqual({ status: 1, stderr: "nasm: fatal: unable to open input file `missing.asm'\n" });
    writeFileSync(join(dir, 'ok.asm'), 'db 1\n');
    expect(run(['-o', 'no/such/dir/ok.bin', 'ok.asm'])).toEqual({ status: 1, stderr: "nasm: fatal: unable to open output file `no/such/dir/ok.bin' (ENOENT)\n" });
  });
});

describe('command-line parsing', () => {
  it('accepts options glued to their values or separate', () => {
    const a = parseArgs(['-felf32', '-oout.o', '-Ia/', '-I', 'b/', '-DX', '-D', 'Y=2', '-l', 'l.lst', '-w-all', '-O2', 'in.asm']);
    expect(a).toEqual({ input: 'in.asm', format: 'elf32', output: 'out.o', listing: 'l.lst', includePaths: ['a/', 'b/'], defines: [['X', ''], ['Y', '2']] });
  });

  it('refuses options it would otherwise ignore', () => {
    expect(() => parseArgs(['-P', 'pre.inc', 'in.asm'])).toThrow("option `-P' is not supported by this assembler");
    expect(() => parseArgs(['-MD', 'in.asm'])).toThrow("option `-MD' is not supported by this assembler");
  });

  it('derives output names as NASM does', () => {
    expect(defaultOutputName('dir/boot.asm', 'bin')).toBe('boot');
    expect(defaultOutputName('dir/boot.asm', 'elf32')).toBe('boot.o');
    expect(defaultOutputName('noext', 'bin')).toBe('nasm.out');
  });
});
