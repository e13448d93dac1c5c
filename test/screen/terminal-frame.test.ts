import { describe, expect, it } from 'vitest';
import type { TextScreen } from '../../machine/interfaces.ts';
import { cp437ToUnicode } from '../../tools/screen/cp437.ts';
import { MemoryScreen } from '../../tools/screen/memory-screen.ts';
import { TerminalFrame } from '../../tools/screen/terminal/frame.ts';
import { penFor, sgrChange } from '../../tools/screen/terminal/sgr.ts';
import { testCard } from './test-card.ts';
import { visible, Vt } from './vt.ts';

// The SGR a VT cell should carry for a VGA attribute with blinking enabled, from first principles:
// the terminal numbers red=1 green=2 blue=4, the VGA blue=1 green=2 red=4.
function expectedSgr(attr: number): string {
  const swap = (c: number) => ((c & 1) << 2) | (c & 2) | ((c & 4) >> 2);
  const fg = attr & 15;
  const bg = (attr >> 4) & 7;
  return `${(fg < 8 ? 30 : 90) + swap(fg & 7)};${40 + swap(bg)}${attr & 0x80 ? ';5' : ''}`;
}

function expectVtShows(vt: Vt, screen: TextScreen): void {
  const want: string[] = [];
  const got: string[] = [];
  for (let row = 0; row < screen.rows; row++) {
    for (let col = 0; col < screen.cols; col++) {
      const value = screen.cell(row, col);
      const cell = vt.grid[row]![col]!;
      const ch = cp437ToUnicode(value & 0xff);
      // A blank shows only its background, whatever foreground or blink the terminal holds.
      const shown = (sgr: string) => (ch.trim() === '' ? sgr.split(';')[1]! : sgr);
      got.push(`${row},${col} ${cell.ch} ${shown(cell.sgr)}`);
      want.push(`${row},${col} ${ch} ${shown(expectedSgr(value >> 8))}`);
    }
  }
  expect(got.join('\n')).toBe(want.join('\n'));
  const cursor = screen.cursor();
  expect(vt.cursorVisible).toBe(cursor.visible);
  if (cursor.visible) expect([vt.row, vt.col]).toEqual([cursor.row, cursor.col]);
}

// Deterministic pseudo-random numbers (xorshift32), so every run checks the same frames.
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function small(): MemoryScreen {
  const s = new MemoryScreen(4, 2);
  s.write(0, 0, 'ab', 0x1f);
  s.write(1, 0, '☺', 0x06);
  s.setCursor({ row: 1, col: 1, visible: true });
  return s;
}

describe('terminal colours', () => {
  it('maps VGA colours to the terminal sixteen, brown to colour 3 without intensity', () => {
    expect(sgrChange(null, penFor(0x06, true))).toBe('\x1b[0;33;40m');
    expect(sgrChange(null, penFor(0x1f, true))).toBe('\x1b[0;97;44m');
    expect(sgrChange(null, penFor(0x4e, true))).toBe('\x1b[0;93;41m');
    expect(sgrChange(null, penFor(0x78, true))).toBe('\x1b[0;90;47m');
  });

  it('turns bit 7 into blink when blinking is enabled and into a bright background when not', () => {
    expect(sgrChange(null, penFor(0x9e, true))).toBe('\x1b[0;93;44;5m');
    expect(sgrChange(null, penFor(0x9e, false))).toBe('\x1b[0;93;104m');
  });

  it('names only what changes', () => {
    expect(sgrChange(penFor(0x07, true), penFor(0x07, true))).toBe('');
    expect(sgrChange(penFor(0x07, true), penFor(0x0f, true))).toBe('\x1b[97m');
    expect(sgrChange(penFor(0x07, true), penFor(0x17, true))).toBe('\x1b[44m');
    expect(sgrChange(penFor(0x87, true), penFor(0x07, true))).toBe('\x1b[25m');
  });
});

describe('terminal frame', () => {
  it('draws the first frame in full: clear, each run with its colours, then the cursor', () => {
    const frame = new TerminalFrame({ cols: 10, rows: 5 });
    const out = frame.render(small(), 'ready');
    expect(visible(out)).toBe(
      '\\e[0m\\e[2J' +
        '\\e[1;1H\\e[0;97;44mab\\e[37;40m  ' +
        // After a glyph some terminals draw wide, the next cell is placed absolutely.
        '\\e[2;1H\\e[33m☺\\e[2;2H   ' +
        '\\e[3;1H\\e[0;7mready\\e[0m\\e[K' +
        '\\e[2;2H\\e[3 q\\e[?25h',
    );
  });

  it('sends nothing when nothing changed', () => {
    const frame = new TerminalFrame({ cols: 10, rows: 5 });
    const screen = small();
    frame.render(screen, 'ready');
    expect(frame.render(screen, 'ready')).toBe('');
  });

  it('sends a short update for one changed cell and puts the cursor back', () => {
    const frame = new TerminalFrame({ cols: 10, rows: 5 });
    const screen = small();
    frame.render(screen);
    screen.write(0, 3, 'Z', 0x07);
    expect(visible(frame.render(screen))).toBe('\\e[1;4H\\e[0;37;40mZ\\e[2;2H');
  });

  it('skips unchanged cells in a row with a cursor-forward, not a full move', () => {
    const frame = new TerminalFrame({ cols: 10, rows: 5 });
    const screen = small();
    frame.render(screen);
    screen.write(1, 0, 'x', 0x06);
    screen.write(1, 3, 'y', 0x06);
    expect(visible(frame.render(screen))).toBe('\\e[2;1H\\e[0;33;40mx\\e[2Cy\\e[2;2H');
  });

  it('moves and hides the hardware cursor', () => {
    const frame = new TerminalFrame({ cols: 10, rows: 5 });
    const screen = small();
    frame.render(screen);
    screen.setCursor({ row: 0, col: 2, visible: true });
    expect(visible(frame.render(screen))).toBe('\\e[1;3H');
    screen.setCursor({ row: 0, col: 2, visible: false });
    expect(visible(frame.render(screen))).toBe('\\e[?25l');
    screen.setCursor({ row: 0, col: 2, visible: true });
    screen.setCursorShape({ start: 0, end: 15, enabled: true });
    expect(visible(frame.render(screen))).toBe('\\e[1 q\\e[?25h');
  });

  it('redraws only the status line when only the status changes', () => {
    const frame = new TerminalFrame({ cols: 10, rows: 5 });
    const screen = small();
    frame.render(screen, 'one');
    expect(visible(frame.render(screen, 'two'))).toBe('\\e[3;1H\\e[0;7mtwo\\e[0m\\e[K\\e[2;2H');
  });

  it('matches the recorded first frame of the test card', async () => {
    const out = new TerminalFrame({ cols: 80, rows: 26 }).render(testCard(), 'Ctrl-A H for help');
    // One line per row of the screen, so a change shows where it is.
    await expect(visible(out).replace(/(\\e\[\d+;1H)/g, '\n$1') + '\n').toMatchFileSnapshot('./fixtures/terminal-test-card.txt');
  });

  it('leaves a terminal showing exactly the screen, frame after frame of random changes', () => {
    const next = random(0x5eed);
    const screen = testCard();
    const frame = new TerminalFrame({ cols: 80, rows: 26 });
    const vt = new Vt(80, 26);
    vt.write(frame.render(screen));
    expectVtShows(vt, screen);
    for (let step = 0; step < 60; step++) {
      const changes = Math.floor(next() * 40);
      for (let i = 0; i < changes; i++) {
        screen.setCell(Math.floor(next() * 25), Math.floor(next() * 80), Math.floor(next() * 0x10000));
      }
      screen.setCursor({ row: Math.floor(next() * 25), col: Math.floor(next() * 80), visible: next() < 0.8 });
      vt.write(frame.render(screen));
      expectVtShows(vt, screen);
    }
  });

  it('shows the part around the cursor on a small terminal and says so, never drawing outside it', () => {
    const screen = testCard();
    const frame = new TerminalFrame({ cols: 40, rows: 12 });
    const vt = new Vt(40, 12);
    vt.write(frame.render(screen, 'status'));
    // The cursor is at row 24 col 4: the window shows rows 14-24 and columns 0-39.
    expect(vt.line(10).startsWith('C:\\>')).toBe(true);
    expect([vt.row, vt.col]).toEqual([10, 4]);
    expect(vt.line(11).trimEnd()).toBe('80x25 clipped: rows 14-24, cols 0-39');
    screen.setCursor({ row: 0, col: 70, visible: true });
    vt.write(frame.render(screen));
    // Now the window is rows 0-10 and columns 31-70.
    const row0 = Array.from({ length: 40 }, (_, c) => cp437ToUnicode(screen.cell(0, 31 + c))).join('');
    expect(vt.line(0)).toBe(row0);
    expect([vt.row, vt.col]).toEqual([0, 39]);
    expect(vt.line(11).trimEnd()).toBe('80x25 clipped: rows 0-10, cols 31-70');
  });

  it('redraws everything after a resize', () => {
    const screen = small();
    const frame = new TerminalFrame({ cols: 10, rows: 5 });
    frame.render(screen);
    frame.resize({ cols: 12, rows: 6 });
    const vt = new Vt(12, 6);
    vt.write(frame.render(screen));
    expectVtShows(vt, screen);
  });
});
