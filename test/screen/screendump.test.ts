import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { screendumpFormat, writeScreendump } from '../../tools/screen/screendump.ts';
import { formatSnapshot } from '../../tools/screen/snapshot.ts';
import { testCard } from './test-card.ts';

const dir = mkdtempSync(join(tmpdir(), 'screendump-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function render(...args: string[]) {
  const result = spawnSync('tools/bin/launch', ['tools/screen/render.ts', ...args], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

describe('screendump', () => {
  it('picks the format from the file name', () => {
    expect(screendumpFormat('a/b.PNG')).toBe('png');
    expect(screendumpFormat('shot.txt')).toBe('txt');
    expect(screendumpFormat('shot.jpg')).toEqual({ error: 'screendump file "shot.jpg" must end in .png (a picture) or .txt (a text snapshot)' });
  });

  it('writes a 720x400 PNG and a text snapshot', () => {
    writeScreendump(testCard(), join(dir, 'card.png'));
    const png = PNG.sync.read(readFileSync(join(dir, 'card.png')));
    expect([png.width, png.height]).toEqual([720, 400]);
    writeScreendump(testCard(), join(dir, 'card.txt'));
    expect(readFileSync(join(dir, 'card.txt'), 'utf8')).toBe(formatSnapshot(testCard()));
  });

  it('says why it cannot write, without a stack trace', () => {
    expect(() => writeScreendump(testCard(), join(dir, 'missing', 'x.png'))).toThrow(
      `cannot write screendump "${join(dir, 'missing', 'x.png')}": its directory does not exist`,
    );
    expect(() => writeScreendump(testCard(), dir + '/')).toThrow('must end in .png');
  });
});

describe('render command', () => {
  it('turns a snapshot file into the same picture as the screen it came from', () => {
    const snapshot = join(dir, 'in.txt');
    writeFileSync(snapshot, formatSnapshot(testCard()));
    expect(render(snapshot, join(dir, 'out.png'))).toEqual({ status: 0, stderr: '' });
    const reference = PNG.sync.read(readFileSync(new URL('./reference/test-card.png', import.meta.url)));
    const rendered = PNG.sync.read(readFileSync(join(dir, 'out.png')));
    expect(rendered.data.equals(reference.data)).toBe(true);
  });

  it('reports bad input in one line and exits non-zero', () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'text 80x25, cursor hidden\nhello\n');
    expect(render(bad, join(dir, 'x.png'))).toEqual({ status: 1, stderr: `render: ${bad}: snapshot line 3: ends early: the snapshot of a 80x25 screen has 52 lines (header, 25 of text, "attributes", 25 of attributes)\n` });
    expect(render(join(dir, 'none.txt'), join(dir, 'x.png'))).toEqual({ status: 1, stderr: `render: cannot read "${join(dir, 'none.txt')}": no such file\n` });
    expect(render('only-one')).toEqual({ status: 2, stderr: 'usage: render SNAPSHOT.txt OUT.png [--8-dot] [--no-cursor]\n' });
  });
});
