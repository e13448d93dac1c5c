// A horizontal bar chart drawn the way this project draws everything: as a VGA text screen
// (CP437 block characters in the 16 colours), rendered to PNG like a screenshot.
import { encodePng, renderScreen } from '../screen/png.ts';
import { MemoryScreen } from '../screen/memory-screen.ts';

/** One bar: its label, its length, and the text after it. */
export interface Bar {
  label: string;
  value: number;
  note: string;
}

const COLS = 80;
const FULL_BLOCK = '█';
const LEFT_HALF_BLOCK = '▌';
const TITLE = 0x0f;
const TEXT = 0x07;
/** Bar colours in turn: light red, yellow, light green, light cyan, light magenta, light blue, brown. */
const COLOURS = [0x0c, 0x0e, 0x0a, 0x0b, 0x0d, 0x09, 0x06] as const;

/** The chart as a text screen: title, subtitle, then one bar every other row, scaled to the longest (half-cell steps). */
export function barChartScreen(title: string, subtitle: string, bars: readonly Bar[]): MemoryScreen {
  const screen = new MemoryScreen(COLS, 4 + 2 * bars.length);
  screen.write(0, 0, title.slice(0, COLS), TITLE);
  screen.write(1, 0, subtitle.slice(0, COLS), TEXT);
  const labelWidth = Math.max(0, ...bars.map((b) => b.label.length)) + 1;
  const noteWidth = Math.max(0, ...bars.map((b) => b.note.length)) + 1;
  const room = Math.max(1, COLS - labelWidth - noteWidth);
  const longest = Math.max(...bars.map((b) => b.value));
  bars.forEach((bar, i) => {
    const row = 3 + 2 * i;
    const halves = longest > 0 ? Math.max(1, Math.round((bar.value / longest) * room * 2)) : 0;
    const drawn = FULL_BLOCK.repeat(Math.floor(halves / 2)) + (halves % 2 ? LEFT_HALF_BLOCK : '');
    screen.write(row, 0, bar.label, TEXT);
    screen.write(row, labelWidth, drawn, COLOURS[i % COLOURS.length]);
    screen.write(row, labelWidth + drawn.length + 1, bar.note, TEXT);
  });
  return screen;
}

/** The chart as a PNG file. */
export function barChartPng(title: string, subtitle: string, bars: readonly Bar[]): Buffer {
  return encodePng(renderScreen(barChartScreen(title, subtitle, bars), { showCursor: false }));
}
