// VGA attribute bytes as the SGR (Select Graphic Rendition) parameters of a 16-colour terminal.
import { cellColours } from '../vga.ts';

/**
 * The terminal colour (0-7) for each of the VGA's eight base colours. The VGA numbers colours
 * blue=1, green=2, red=4 and the terminal red=1, green=2, blue=4, so the bits swap. VGA brown
 * (6) becomes the terminal's colour 3 without intensity: the nearest of its sixteen.
 */
export const VGA_TO_TERMINAL: readonly number[] = [0, 4, 2, 6, 1, 5, 3, 7];

/** What a terminal draws a cell with: the SGR parameters that matter, packed for comparison. */
export type Pen = number;

/** The pen for `attr`: foreground and background as SGR colour codes and blink. */
export function penFor(attr: number, blinkEnabled: boolean): Pen {
  const { fg, bg, blink } = cellColours(attr, blinkEnabled);
  return (fgCode(fg) << 8) | (bgCode(bg) << 1) | (blink ? 1 : 0);
}

function fgCode(colour: number): number {
  return (colour < 8 ? 30 : 90) + VGA_TO_TERMINAL[colour & 7]!;
}

function bgCode(colour: number): number {
  return (colour < 8 ? 40 : 100) + VGA_TO_TERMINAL[colour & 7]!;
}

/** Whether two pens paint the same background colour. */
export function sameBackground(a: Pen, b: Pen): boolean {
  return ((a >> 1) & 0x7f) === ((b >> 1) & 0x7f);
}

/**
 * The escape sequence that changes the terminal's pen from `from` to `to`, naming only what
 * differs; from null (unknown) it resets first. Empty when nothing changes.
 */
export function sgrChange(from: Pen | null, to: Pen): string {
  if (from === to) return '';
  const params: number[] = [];
  if (from === null) params.push(0);
  const fg = to >> 8;
  const bg = (to >> 1) & 0x7f;
  const blink = (to & 1) !== 0;
  if (from === null || from >> 8 !== fg) params.push(fg);
  if (from === null || ((from >> 1) & 0x7f) !== bg) params.push(bg);
  if (from === null ? blink : (from & 1) !== (to & 1)) params.push(blink ? 5 : 25);
  return `\x1b[${params.join(';')}m`;
}
