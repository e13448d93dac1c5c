// tools/run as a user runs it: headless, typing a command, stopping at the next prompt, writing
// a screendump; exit status 2 for what is not implemented.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'run-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('tools/run', [...args], { encoding: 'utf8', timeout: 600_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tools/run', () => {
  it('runs hello headless and dumps the screen at the next prompt', () => {
    const dump = join(dir, 'out.txt');
    const serial = join(dir, 'serial.log');
    const r = run(['--headless', '--type', 'hello\\n', '--until', '$ ', '--screendump', dump, '--serial', serial]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const screen = readFileSync(dump, 'utf8');
    expect(screen).toMatch(/^text 80x25, cursor at row \d+ col 2\n/);
    expect(screen).toContain('init: /bin/sh\n$ hello\nHello, world!\n$\n');
    expect(readFileSync(serial, 'latin1')).toContain('init: /bin/sh\n');
  }, 600_000);

  it('prints the screen when headless has nothing else to write, and stops when only a key could go on', () => {
    const r = run(['--headless', '--type', 'echo hi\\n']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('$ echo hi\nhi\n$');
  }, 600_000);

  it('fails with status 1 when --until never appears', () => {
    const r = run(['--headless', '--until', 'never printed']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("run: 'never printed' did not appear, and the system waits for input\n");
  }, 600_000);

  it('answers "not implemented yet" with status 2 for another mechanism or x86_64', () => {
    const abi = run(['--abi', 'syscall', '--headless']);
    expect(abi.status).toBe(2);
    expect(abi.stderr).toMatch(/^run: not implemented yet: --abi syscall/);
    expect(run(['--arch', 'x86_64']).status).toBe(2);
  }, 600_000);
});
