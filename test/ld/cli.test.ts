import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readElf } from '../../machine/formats/elf-reader.ts';
import { hasRealNasm } from '../helpers/real-nasm.ts';
import { assemble, hasTool } from './binutils.ts';
import { LIB32, PROG32 } from './fixtures.ts';

const LD = resolve('tools/ld');
let dir: string;

function ld(...args: string[]) {
  const r = spawnSync(LD, args, { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ld-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasRealNasm())('tools/ld', () => {
  beforeEach(() => {
    writeFileSync(join(dir, 'prog.o'), assemble(PROG32, 'elf32'));
    writeFileSync(join(dir, 'lib.o'), assemble(LIB32, 'elf32'));
  });

  it('links to an executable file that binutils reads without complaint', () => {
    const r = ld('-m', 'elf_i386', '-o', 'prog', '-Ttext', '0x100000', '--build-id=none', 'prog.o', 'lib.o');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(statSync(join(dir, 'prog')).mode & 0o111).not.toBe(0);
    expect(readElf(new Uint8Array(readFileSync(join(dir, 'prog')))).header.entry).toBe(0x100000n);
    if (hasTool('readelf') && hasTool('objdump')) {
      for (const [tool, flag] of [['readelf', '-a'], ['objdump', '-d']] as const) {
        const check = spawnSync(tool, [flag, 'prog'], { cwd: dir, encoding: 'utf8' });
        expect(check.stderr).toBe('');
        expect(check.status).toBe(0);
      }
    }
  });

  it('exits 1 with ld-style messages, removes a stale output and prints no stack trace', () => {
    writeFileSync(join(dir, 'prog'), 'stale');
    const r = ld('-m', 'elf_i386', '-o', 'prog', 'prog.o');
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("ld: prog.o:(.text+0x6): undefined reference to `strlen'");
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(dir, 'prog'))).toBe(false);
  });
});

describe('tools/ld command line', () => {
  it('names a missing input', () => {
    const r = ld('-o', 'out', 'nosuch.o');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('ld: cannot find nosuch.o: No such file or directory\n');
  });

  it('rejects an unknown option the way ld does', () => {
    const r = ld('--frobnicate', 'a.o');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("ld: unrecognized option '--frobnicate'\nld: use the --help option for usage information\n");
  });

  it('rejects a malformed address', () => {
    const r = ld('-Ttext', '0xzz', 'a.o');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("ld: invalid hex number `0xzz' for -Ttext\n");
  });

  it('says that linker scripts are not supported', () => {
    const r = ld('-T', 'kernel.ld', 'a.o');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('ld: linker scripts are not supported (-T); -Ttext, -Tdata and -Tbss set addresses\n');
  });

  it('prints its usage', () => {
    const r = ld('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('-m EMULATION');
  });
});
