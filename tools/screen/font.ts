// The 8x16 CP437 font, read from its drawn source (font/cp437-8x16.txt) the first time a
// renderer needs it.
import { readFileSync } from 'node:fs';

/** Scan lines per character cell. */
export const GLYPH_HEIGHT = 16;

const SOURCE = new URL('./font/cp437-8x16.txt', import.meta.url);
const ROW = /^[#.]{8}$/;
const HEADER = /^0x([0-9A-F]{2})$/;

/** Parses font source text into 256 x 16 bytes (glyph `c`, scan line `r` at c * 16 + r), checking every glyph is there once. */
export function parseFont(text: string, name = 'font'): Uint8Array {
  const font = new Uint8Array(256 * GLYPH_HEIGHT);
  const seen = new Set<number>();
  let code = -1;
  let rows = GLYPH_HEIGHT;
  const lines = text.split('\n');
  const fail = (index: number, detail: string): never => {
    throw new Error(`${name} line ${index + 1}: ${detail}`);
  };
  lines.forEach((raw, index) => {
    const line = raw.trimEnd();
    if (line === '' || line === '#' || line.startsWith('# ')) return;
    const header = HEADER.exec(line);
    if (header) {
      if (rows !== GLYPH_HEIGHT) fail(index, `glyph 0x${hex(code)} has ${rows} rows, not ${GLYPH_HEIGHT}`);
      code = parseInt(header[1]!, 16);
      if (seen.has(code)) fail(index, `glyph 0x${hex(code)} drawn twice`);
      seen.add(code);
      rows = 0;
      return;
    }
    if (!ROW.test(line)) fail(index, `expected a glyph header like "0x41" or a row of 8 '#' and '.', found "${line}"`);
    if (code < 0 || rows === GLYPH_HEIGHT) fail(index, 'a row outside any glyph');
    let byte = 0;
    for (let x = 0; x < 8; x++) if (line[x] === '#') byte |= 0x80 >> x;
    font[code * GLYPH_HEIGHT + rows++] = byte;
  });
  if (rows !== GLYPH_HEIGHT) fail(lines.length - 1, `glyph 0x${hex(code)} has ${rows} rows, not ${GLYPH_HEIGHT}`);
  const missing = [...Array(256).keys()].filter((c) => !seen.has(c));
  if (missing.length > 0) throw new Error(`${name}: no glyph for ${missing.map((c) => `0x${hex(c)}`).join(', ')}`);
  return font;
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(2, '0');
}

let cached: Uint8Array | undefined;

/** The project's CP437 font: 256 glyphs of 16 bytes, bit 7 the leftmost pixel. */
export function cp437Font(): Uint8Array {
  cached ??= parseFont(readFileSync(SOURCE, 'utf8'), 'tools/screen/font/cp437-8x16.txt');
  return cached;
}
