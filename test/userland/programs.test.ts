import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeBuild, nativeSkipReason, run } from './native.ts';

const skip = nativeSkipReason();
if (skip) it.skip(`userland programs not run natively: ${skip}`, () => {});

// The host's own command, for comparing output byte for byte.
function host(cmd: string, args: string[], input = ''): { stdout: string; status: number | null } {
  const result = spawnSync(cmd, args, { input, encoding: 'utf8', env: { LC_ALL: 'C', PATH: '/bin:/usr/bin' } });
  return { stdout: result.stdout, status: result.status };
}

describe.skipIf(skip)('small programs', () => {
  it('hello greets', async () => {
    expect(await run('hello')).toMatchObject({ stdout: 'Hello, world!\n', stderr: '', status: 0 });
    expect(await run('hello', ['x'])).toMatchObject({ stdout: '', stderr: 'usage: hello\n', status: 2 });
  });

  it('echo joins its arguments with spaces', async () => {
    expect(await run('echo', ['a', 'b'])).toMatchObject({ stdout: 'a b\n', status: 0 });
    expect(await run('echo')).toMatchObject({ stdout: '\n', status: 0 });
    expect(await run('echo', ['-n', 'x', ' y '])).toMatchObject({ stdout: 'x  y ', status: 0 });
  });

  it('true and false give their exit statuses', async () => {
    expect(await run('true')).toMatchObject({ stdout: '', status: 0 });
    expect(await run('false')).toMatchObject({ stdout: '', status: 1 });
  });

  it('cat copies files and standard input, and reports a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cat-'));
    writeFileSync(join(dir, 'a'), 'first\n');
    expect(await run('cat', [], 'from stdin\n')).toMatchObject({ stdout: 'from stdin\n', stderr: '', status: 0 });
    const both = await run('cat', ['a', '-', 'missing', 'a'], 'middle\n', { cwd: dir });
    expect(both).toEqual({
      stdout: 'first\nmiddle\nfirst\n',
      stderr: 'cat: missing: No such file or directory\n',
      status: 1,
      signal: null,
    });
    const big = 'x'.repeat(10000) + '\n';
    expect((await run('cat', [], big)).stdout).toBe(big);
  });

  it('cat rejects an unknown option with a usage line and status 2', async () => {
    const result = await run('cat', ['-z']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/invalid option -- 'z'\nusage: cat \[FILE\]\.\.\.\n$/);
  });
});

describe.skipIf(skip)('wc counts like coreutils wc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wc-'));
  const text = 'The quick brown fox\n  jumps\tover the\n\nlazy dog';
  writeFileSync(join(dir, 'text'), text);
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, 'big'), 'word '.repeat(30000) + '\n');
  const cases: [string[], string][] = [
    [[], text],
    [['-l'], text],
    [['-w', '-c'], text],
    [['text'], ''],
    [['-l', 'text'], ''],
    [['text', 'empty', 'big'], ''],
    [['-lc', 'big', '-'], 'piped in\n'],
    [['empty'], ''],
  ];
  it.each(cases)('wc %j', async (args, input) => {
    const ours = await run('wc', args, input, { cwd: dir });
    const theirs = host('wc', args.map((a) => (a === '-' || a.startsWith('-') ? a : join(dir, a))), input);
    expect(ours.stdout).toBe(theirs.stdout.replaceAll(`${dir}/`, ''));
    expect(ours.status).toBe(theirs.status);
  });

  it('reports a missing file and still counts the others', async () => {
    const result = await run('wc', ['text', 'nope'], '', { cwd: dir });
    expect(result.stderr).toBe('wc: nope: No such file or directory\n');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(host('wc', [join(dir, 'text'), join(dir, 'nope')]).stdout.replaceAll(`${dir}/`, ''));
  });

  it('rejects an unknown option with status 2', async () => {
    expect(await run('wc', ['-q'])).toMatchObject({ stdout: '', status: 2 });
  });
});

describe.skipIf(skip)('printf matches the printf command', () => {
  const cases: string[][] = [
    ['%d|%5d|%-5d|%05d|%+d|% d\\n', '42', '-42', '42', '-42', '7', '7'],
    ['%i %u %x %X %o\\n', '-1', '4000000000', '255', '255', '8'],
    ['[%s] [%10s] [%-10s] [%.2s] [%5.1s]\\n', 'abc', 'abc', 'abc', 'abcdef', 'xyz'],
    ['%c%c|%3c|%-3c|\\n', 'hello', 'world', 'a', 'b'],
    ['%%|%08.3d|%.0d|%x|%.5x\\n', '5', '0', '0x1F', '0xab'],
    ['%s\\n', 'reused', 'for', 'each'],
    ['%*d|%-*d|\\n', '6', '1', '4', '2'],
    ['%d %d %d\\n', '2147483647', '-2147483648', '010'],
    ['%#x %#X %#o %#o %#x|%#8x|%-#8o|\\n', '3054', '255', '8', '0', '0', '255', '9'],
    ['tab\\there\\\\ \\101\\n'],
    ['missing: [%s] [%d]\\n'],
    ['no newline'],
  ];
  it.each(cases)('printf %j', async (...args) => {
    const ours = await run('printf', args);
    const theirs = host('printf', args);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.status).toBe(theirs.status);
  });

  it('complains about a non-number and a conversion it does not know', async () => {
    expect(await run('printf', ['%d\\n', 'abc'])).toMatchObject({
      stdout: '0\n',
      stderr: "printf: 'abc': expected a numeric value\n",
      status: 1,
    });
    expect(await run('printf', ['%q'])).toMatchObject({ stderr: 'printf: %q: invalid conversion\n', status: 1 });
    expect(await run('printf')).toMatchObject({ stderr: 'usage: printf FORMAT [ARGUMENT]...\n', status: 2 });
  });
});

describe.skipIf(skip)('stdout buffering', () => {
  const dir = mkdtempSync(join(tmpdir(), 'buffering-'));
  writeFileSync(join(dir, 'text'), 'a b\n');

  it('holds output written to a pipe until exit, so stderr comes first', async () => {
    const { outDir } = await nativeBuild();
    const merged = spawnSync('/bin/sh', ['-c', `${join(outDir, 'bin', 'wc')} text nope 2>&1`], { cwd: dir, encoding: 'utf8' });
    expect(merged.stdout).toBe('wc: nope: No such file or directory\n1 2 4 text\n1 2 4 total\n');
  });

  const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasScript)('flushes at each newline on a terminal (run under script(1) for a pty)', async () => {
    const { outDir } = await nativeBuild();
    const tty = spawnSync('script', ['-qec', `${join(outDir, 'bin', 'wc')} text nope`, '/dev/null'], { cwd: dir, encoding: 'utf8' });
    expect(tty.stdout.replaceAll('\r\n', '\n')).toBe('1 2 4 text\nwc: nope: No such file or directory\n1 2 4 total\n');
  });
});
