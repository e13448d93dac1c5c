import { describe, expect, it } from 'vitest';
import type { TextCursor, TextScreen } from '../../machine/interfaces.ts';
import { formatSnapshot, parseSnapshot, screenAttributes, screenText, SnapshotError } from '../../tools/screen/snapshot.ts';
import { testCard } from './test-card.ts';

// The smallest TextScreen: rows of [text, attribute] given directly.
function tinyScreen(lines: string[], attrs: number[][], cursor: TextCursor): TextScreen {
  const cols = 6;
  return {
    cols,
    rows: lines.length,
    cell: (row, col) => (lines[row]!.charCodeAt(col) || 0x20) | (attrs[row]![col]! << 8),
    cursor: () => cursor,
  };
}

const tiny = tinyScreen(
  ['A:\\> ', '  x   ', '      '],
  [
    [0x07, 0x07, 0x07, 0x07, 0x07, 0x07],
    [0x1f, 0x1f, 0x4e, 0x1f, 0x1f, 0x1f],
    [0x07, 0x07, 0x07, 0x07, 0x07, 0x70],
  ],
  { row: 0, col: 4, visible: true },
);

describe('text snapshot', () => {
  it('writes the text one line per row with trailing spaces removed', () => {
    expect(screenText(tiny)).toBe('A:\\>\n  x\n');
  });

  it('writes attributes as runs per row', () => {
    expect(screenAttributes(tiny)).toBe('07*6\n1f*2 4e 1f*3\n07*5 70');
  });

  it('puts header, text and attributes in one reviewable file', () => {
    expect(formatSnapshot(tiny)).toBe(
      ['text 6x3, cursor at row 0 col 4', 'A:\\>', '  x', '', 'attributes', '07*6', '1f*2 4e 1f*3', '07*5 70', ''].join('\n'),
    );
  });

  it('shows CP437 as Unicode and keeps the blank 0xFF glyph, which is not a space', () => {
    const screen: TextScreen = {
      cols: 4,
      rows: 1,
      cell: (_row, col) => [0xc9, 0x01, 0xff, 0x20][col]! | 0x0700,
      cursor: () => ({ row: 0, col: 0, visible: false }),
    };
    expect(screenText(screen)).toBe('╔☺\u00a0');
    expect(formatSnapshot(screen).split('\n')[0]).toBe('text 4x1, cursor hidden');
    expect(parseSnapshot(formatSnapshot(screen)).cell(0, 2)).toBe(0x07ff);
  });

  it('reads back exactly what it wrote, for the test card and the tiny screen', () => {
    for (const screen of [testCard(), tiny]) {
      const text = formatSnapshot(screen);
      const parsed = parseSnapshot(text);
      expect(formatSnapshot(parsed)).toBe(text);
      expect(parsed.cursor()).toEqual(screen.cursor());
    }
  });

  it('restores every cell of the test card, character and attribute', () => {
    const card = testCard();
    const parsed = parseSnapshot(formatSnapshot(card));
    for (let row = 0; row < card.rows; row++) {
      for (let col = 0; col < card.cols; col++) {
        // NUL and space look alike and are both written as a space.
        const expected = (card.cell(row, col) & 0xff) === 0 ? card.cell(row, col) | 0x20 : card.cell(row, col);
        expect(parsed.cell(row, col), `row ${row} col ${col}`).toBe(expected);
      }
    }
  });

  it('accepts CRLF line endings from editors that add them', () => {
    const text = formatSnapshot(tiny);
    expect(formatSnapshot(parseSnapshot(text.replace(/\n/g, '\r\n')))).toBe(text);
  });

  it.each([
    ['a wrong header', (t: string) => t.replace('text 6x3', 'txt 6x3'), 1, 'expected "text COLSxROWS'],
    ['a line too long', (t: string) => t.replace('  x\n', '  x    \n'), 3, '7 characters on a 6-column screen'],
    ['a character outside CP437', (t: string) => t.replace('  x', '  €'), 3, "column 3: '€' (U+20AC) is not in code page 437"],
    ['a missing marker', (t: string) => t.replace('attributes', 'attrs'), 5, 'expected "attributes"'],
    ['a bad run', (t: string) => t.replace('4e', '4E'), 7, '"4E" is not an attribute run'],
    ['too few columns of attributes', (t: string) => t.replace('07*6', '07*5'), 6, 'runs cover 5 of 6 columns'],
    ['too many columns of attributes', (t: string) => t.replace('07*6', '07*7'), 6, 'runs cover more than 6 columns'],
    ['a missing row', (t: string) => t.replace('07*5 70\n', ''), 8, 'ends early'],
    ['an extra line', (t: string) => `${t}07*6\n`, 9, 'unexpected line'],
  ])('rejects %s with the line number', (_name, edit, line, message) => {
    const broken = edit(formatSnapshot(tiny));
    expect(() => parseSnapshot(broken)).toThrow(SnapshotError);
    try {
      parseSnapshot(broken);
    } catch (error) {
      expect((error as SnapshotError).line).toBe(line);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).toMatch(new RegExp(`^snapshot line ${line}: `));
    }
  });
});
