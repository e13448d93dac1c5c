import { describe, expect, it } from 'vitest';
import { cp437ToUnicode } from '../../tools/screen/cp437.ts';
import { cp437Font, GLYPH_HEIGHT, parseFont } from '../../tools/screen/font.ts';

const font = cp437Font();
const glyph = (code: number): number[] => Array.from(font.subarray(code * GLYPH_HEIGHT, (code + 1) * GLYPH_HEIGHT));

// Box-drawing characters with a line leaving the cell on the right or the bottom.
const RIGHT_ARM = new Set(Array.from('─┌└├┬┴┼═╒╓╔╘╙╚╞╟╠╤╥╦╧╨╩╪╫╬'));
const DOWN_ARM = new Set(Array.from('│┐┌┤├┬┼║╕╖╗╒╓╔╡╢╣╞╟╠╤╥╦╪╫╬'));

describe('the CP437 8x16 font', () => {
  it('has 16 scan lines for each of the 256 codes', () => {
    expect(font).toHaveLength(256 * 16);
  });

  it('draws something for every code except the three blank ones', () => {
    for (let code = 0; code < 256; code++) {
      const blank = glyph(code).every((row) => row === 0);
      expect(blank, `0x${code.toString(16)}`).toBe(code === 0x00 || code === 0x20 || code === 0xff);
    }
  });

  it('draws distinct glyphs for distinct characters', () => {
    const seen = new Map<string, number>();
    for (let code = 1; code < 255; code++) {
      if (code === 0x20) continue;
      const key = glyph(code).join(',');
      expect(seen.get(key), `0x${code.toString(16)} repeats another glyph`).toBeUndefined();
      seen.set(key, code);
    }
  });

  it('fills the block elements exactly', () => {
    expect(glyph(0xdb)).toEqual(Array(16).fill(0xff));
    expect(glyph(0xdc)).toEqual([...Array(8).fill(0), ...Array(8).fill(0xff)]);
    expect(glyph(0xdf)).toEqual([...Array(8).fill(0xff), ...Array(8).fill(0)]);
    expect(glyph(0xdd)).toEqual(Array(16).fill(0xf0));
    expect(glyph(0xde)).toEqual(Array(16).fill(0x0f));
  });

  it('takes box-drawing lines to the right edge exactly for 0xC0-0xDF, as the 9th-column rule needs', () => {
    for (let code = 0xb3; code <= 0xda; code++) {
      const reachesRight = glyph(code).some((row) => (row & 1) !== 0);
      const ch = cp437ToUnicode(code);
      expect(reachesRight, `${ch} 0x${code.toString(16)}`).toBe(RIGHT_ARM.has(ch));
      if (RIGHT_ARM.has(ch)) expect(code >= 0xc0 && code <= 0xdf).toBe(true);
    }
  });

  it('takes vertical lines to the bottom edge so rows of boxes join', () => {
    for (let code = 0xb3; code <= 0xda; code++) {
      const ch = cp437ToUnicode(code);
      expect(glyph(code)[15] !== 0, `${ch} 0x${code.toString(16)}`).toBe(DOWN_ARM.has(ch));
    }
  });

  it('keeps letters off the 8th column, leaving the gap between characters', () => {
    for (let code = 0x41; code <= 0x7a; code++) {
      if (code > 0x5a && code < 0x61) continue;
      expect(glyph(code).every((row) => (row & 1) === 0), String.fromCharCode(code)).toBe(true);
    }
  });

  it('reports a malformed font source with its line', () => {
    const rows = (n: number) => Array(n).fill('........').join('\n');
    expect(() => parseFont(`0x00\n${rows(16)}\n0x00\n${rows(16)}\n`, 'f')).toThrow('f line 18: glyph 0x00 drawn twice');
    expect(() => parseFont(`0x00\n${rows(15)}\n0x01\n`, 'f')).toThrow('f line 17: glyph 0x00 has 15 rows, not 16');
    expect(() => parseFont(`0x00\n........x\n`, 'f')).toThrow('f line 2: expected a glyph header');
    expect(() => parseFont(`0x00\n${rows(16)}\n`, 'f')).toThrow('f: no glyph for 0x01, 0x02');
  });
});
