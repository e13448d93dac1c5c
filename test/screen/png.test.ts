import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { MemoryScreen } from '../../tools/screen/memory-screen.ts';
import { renderScreen, screenToPng, type RgbImage } from '../../tools/screen/png.ts';
import type { CursorShape, TextModeSettings } from '../../tools/screen/vga.ts';
import { testCard } from './test-card.ts';

const REFERENCE = new URL('./reference/test-card.png', import.meta.url);

function pixel(image: RgbImage, x: number, y: number): string {
  const p = (y * image.width + x) * 3;
  return Array.from(image.rgb.subarray(p, p + 3), (v) => v.toString(16).padStart(2, '0')).join('');
}

// The colours of one scan line of one cell, left to right.
function cellLine(image: RgbImage, row: number, col: number, line: number, dots = 9): string[] {
  return Array.from({ length: dots }, (_, x) => pixel(image, col * dots + x, row * 16 + line));
}

function oneCell(code: number, attr: number, settings: Partial<TextModeSettings> = {}): MemoryScreen {
  const screen = new MemoryScreen(1, 1, settings);
  screen.setCell(0, 0, code | (attr << 8));
  return screen;
}

describe('PNG renderer', () => {
  it('renders the test card exactly as the committed reference image', () => {
    const reference = PNG.sync.read(readFileSync(REFERENCE));
    const rendered = PNG.sync.read(screenToPng(testCard()));
    expect([rendered.width, rendered.height]).toEqual([reference.width, reference.height]);
    // Compared pixel by pixel, so a difference names its place instead of a byte offset.
    const differences: string[] = [];
    for (let i = 0; i < reference.data.length && differences.length < 10; i += 4) {
      if (reference.data.readUInt32BE(i) !== rendered.data.readUInt32BE(i)) {
        const px = i / 4;
        const x = px % reference.width;
        const y = Math.floor(px / reference.width);
        differences.push(`x ${x} y ${y} (row ${Math.floor(y / 16)} col ${Math.floor(x / 9)})`);
      }
    }
    expect(differences, 'rerun tools/bin/launch test/screen/update-reference.ts only after a deliberate change').toEqual([]);
  });

  it('is 720x400 for 80x25 in mode 03h, 640x400 with 8-dot characters', () => {
    expect(renderScreen(testCard())).toMatchObject({ width: 720, height: 400 });
    expect(renderScreen(testCard(), { dotsPerChar: 8 })).toMatchObject({ width: 640, height: 400 });
    expect(renderScreen(testCard({ dotsPerChar: 8 }))).toMatchObject({ width: 640 });
  });

  it('uses the VGA palette, with brown for colour 6', () => {
    const image = renderScreen(oneCell(0xdb, 0x16));
    expect(pixel(image, 0, 0)).toBe('aa5500');
    expect(pixel(renderScreen(oneCell(0x20, 0x10)), 0, 0)).toBe('0000aa');
    const colours = Array.from({ length: 16 }, (_, c) => pixel(renderScreen(oneCell(0xdb, c)), 0, 0));
    expect(colours).toEqual([
      '000000', '0000aa', '00aa00', '00aaaa', 'aa0000', 'aa00aa', 'aa5500', 'aaaaaa',
      '555555', '5555ff', '55ff55', '55ffff', 'ff5555', 'ff55ff', 'ffff55', 'ffffff',
    ]);
  });

  it('repeats the 8th dot into the 9th for 0xC0-0xDF only', () => {
    const fg = 'ffffff';
    const bg = '000000';
    // ─ (0xC4) on its line row, █ (0xDB), and ▒ (0xB1, outside the range) whose 8th dot is set.
    expect(cellLine(renderScreen(oneCell(0xc4, 0x0f)), 0, 0, 7)).toEqual(Array(9).fill(fg));
    expect(cellLine(renderScreen(oneCell(0xdb, 0x0f)), 0, 0, 0)).toEqual(Array(9).fill(fg));
    const shade = cellLine(renderScreen(oneCell(0xb1, 0x0f)), 0, 0, 1);
    expect(shade[7]).toBe(fg);
    expect(shade[8]).toBe(bg);
    expect(cellLine(renderScreen(oneCell(0xdb, 0x0f), { lineGraphics: false }), 0, 0, 0)[8]).toBe(bg);
  });

  it('shows blinking characters in their on phase by default, and bit 7 as bright background when blinking is off', () => {
    // 0x8E: blink, background 0, yellow.
    const on = renderScreen(oneCell(0xdb, 0x8e));
    expect(pixel(on, 0, 0)).toBe('ffff55');
    expect(pixel(renderScreen(oneCell(0xdb, 0x8e), { blinkPhase: 'off' }), 0, 0)).toBe('000000');
    expect(pixel(renderScreen(oneCell(0x20, 0x8e)), 0, 0)).toBe('000000');
    expect(pixel(renderScreen(oneCell(0x20, 0x8e), { blinkEnabled: false }), 0, 0)).toBe('555555');
    expect(pixel(renderScreen(oneCell(0x20, 0xf0, { blinkEnabled: false })), 0, 0)).toBe('ffffff');
  });

  it('draws the cursor on scan lines 13-14 like mode 03h, in the foreground colour', () => {
    const screen = oneCell(0x20, 0x1e);
    screen.setCursor({ row: 0, col: 0, visible: true });
    const image = renderScreen(screen);
    const lines = Array.from({ length: 16 }, (_, line) => cellLine(image, 0, 0, line).slice(0, 8).every((c) => c === 'ffff55'));
    expect(lines.map((l, i) => (l ? i : -1)).filter((i) => i >= 0)).toEqual([13, 14]);
    expect(cellLine(image, 0, 0, 13)[8]).toBe('0000aa');
  });

  it('draws the cursor shape the CRTC gives, and none when hidden, disabled or when start is after end', () => {
    const litLines = (shape: CursorShape, visible = true): number[] => {
      const screen = oneCell(0x20, 0x07);
      screen.setCursor({ row: 0, col: 0, visible });
      screen.setCursorShape(shape);
      const image = renderScreen(screen);
      return [...Array(16).keys()].filter((line) => cellLine(image, 0, 0, line)[0] === 'aaaaaa');
    };
    expect(litLines({ start: 0, end: 15, enabled: true })).toHaveLength(16);
    expect(litLines({ start: 6, end: 31, enabled: true })).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(litLines({ start: 9, end: 3, enabled: true })).toEqual([]);
    expect(litLines({ start: 0, end: 15, enabled: false })).toEqual([]);
    expect(litLines({ start: 0, end: 15, enabled: true }, false)).toEqual([]);
  });

  it('takes colours from the screen when it reports its DAC', () => {
    const screen = Object.assign(oneCell(0xdb, 0x01), { colorRgb: (c: number) => [c, 0x12, 0x34] as const });
    expect(pixel(renderScreen(screen), 0, 0)).toBe('011234');
  });

  it('writes a PNG that decodes to the rendered pixels', () => {
    const image = renderScreen(testCard());
    const decoded = PNG.sync.read(screenToPng(testCard()));
    for (const [x, y] of [[0, 0], [100, 50], [719, 399], [400, 300]] as const) {
      const p = (y * decoded.width + x) * 4;
      const hex = Array.from(decoded.data.subarray(p, p + 3), (v) => v.toString(16).padStart(2, '0')).join('');
      expect(hex).toBe(pixel(image, x, y));
    }
  });
});
