// Code page 437, the character set of the IBM PC's VGA text mode, as Unicode.
//
// Codes 0x01-0x1F and 0x7F are drawn by the VGA font as the pictures below (smiley, card
// suits, arrows...), not interpreted as control characters: the text buffer has no control
// characters. 0x00 is a blank glyph and maps to a space; 0xFF is a blank glyph too and maps to
// NO-BREAK SPACE as in IBM's own table. 0x80-0xFF follow the Unicode Consortium's IBM437 mapping.

const ROWS = [
  ' ☺☻♥♦♣♠•◘○◙♂♀♪♫☼', // 0x00
  '►◄↕‼¶§▬↨↑↓→←∟↔▲▼', // 0x10
  ' !"#$%&\'()*+,-./', // 0x20
  '0123456789:;<=>?', // 0x30
  '@ABCDEFGHIJKLMNO', // 0x40
  'PQRSTUVWXYZ[\\]^_', // 0x50
  '`abcdefghijklmno', // 0x60
  'pqrstuvwxyz{|}~⌂', // 0x70
  'ÇüéâäàåçêëèïîìÄÅ', // 0x80
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ', // 0x90
  'áíóúñÑªº¿⌐¬½¼¡«»', // 0xA0
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐', // 0xB0
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧', // 0xC0
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀', // 0xD0
  'αßΓπΣσµτΦΘΩδ∞φε∩', // 0xE0
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00A0', // 0xF0
];

/** Unicode for each of the 256 CP437 codes: every entry is exactly one BMP character. */
export const CP437: readonly string[] = Object.freeze(ROWS.flatMap((row) => Array.from(row)));

if (CP437.length !== 256) throw new Error(`CP437 table has ${CP437.length} entries, expected 256`);

const FROM_UNICODE: ReadonlyMap<string, number> = new Map(
  // Later entries overwrite earlier ones, so the space character maps back to 0x20, not 0x00.
  CP437.map((ch, code) => [ch, code] as const),
);

/** The Unicode character shown for CP437 `code` (0-255; other values use their low byte). */
export function cp437ToUnicode(code: number): string {
  return CP437[code & 0xff]!;
}

/** The CP437 code that shows `ch`, or undefined when CP437 has no such character. A space maps to 0x20. */
export function unicodeToCp437(ch: string): number | undefined {
  return FROM_UNICODE.get(ch);
}
