// The terminal session on a real pseudo-terminal, through util-linux `script`: the program
// takes the terminal over, reads raw keys, quits on Ctrl-A X and leaves the terminal as it was.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSnapshot, screenText } from '../../tools/screen/snapshot.ts';

const hasScript = /util-linux/.test(spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout ?? '');

function inPty(command: string, input: string): string {
  const result = spawnSync('script', ['-q', '-e', '-c', command, '/dev/null'], { input, encoding: 'utf8' });
  return result.stdout;
}

describe.skipIf(!hasScript)('terminal session on a pseudo-terminal (needs util-linux script)', () => {
  it('reads raw keys, quits on Ctrl-A X and restores the terminal mode and screen', () => {
    const out = inPty(
      'stty cols 80 rows 26; tools/bin/launch tools/screen/try-terminal.ts; echo "EXIT=$?"; stty -a',
      'hi\x01x',
    );
    const enter = out.indexOf('\x1b[?1049h\x1b[?7l\x1b[?25l');
    const leave = out.indexOf('\x1b[0m\x1b[0 q\x1b[?25h\x1b[?7h\x1b[?1049l');
    expect(enter).toBeGreaterThanOrEqual(0);
    expect(leave).toBeGreaterThan(enter);
    // Each key arrived on its own, without waiting for Enter: raw mode.
    expect(out.slice(enter, leave)).toContain("'h'");
    expect(out.slice(enter, leave)).toContain("'i'");
    expect(out.slice(leave)).toContain('EXIT=0');
    // Back in canonical mode with echo, as the shell had it.
    const modes = out.slice(out.indexOf('EXIT=0'));
    expect(modes).toMatch(/(^|\s)icanon(\s|$)/m);
    expect(modes).toMatch(/(^|\s)echo(\s|$)/m);
  });

  it('saves the screen on Ctrl-A S', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pty-'));
    try {
      const file = join(dir, 'shot.txt');
      const out = inPty(`stty cols 80 rows 26; tools/bin/launch tools/screen/try-terminal.ts ${file}`, 'ok\x01s\x01x');
      expect(out).toContain(`saved ${file}`);
      const lines = screenText(parseSnapshot(readFileSync(file, 'utf8'))).split('\n');
      expect(lines.slice(2, 4)).toEqual(["'o'", "'k'"]);
      expect(lines[23]).toBe('> ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('terminal session on a pipe', () => {
  it('reads piped input as plain text to its end, with no commands and no escapes', () => {
    const result = spawnSync('tools/bin/launch', ['tools/screen/try-terminal.ts'], { input: 'ok\x01x\x1b[A\n', encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines.slice(2, 10)).toEqual(["'o'", "'k'", "Ctrl 'a'", "'x'", 'Escape', "'['", "Shift 'A'", 'Enter']);
    expect(result.stdout).not.toContain('\x1b');
  });
});
