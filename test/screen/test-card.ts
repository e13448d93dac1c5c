// A deterministic 80x25 screen that exercises the whole renderer: all 256 characters, all 256
// attribute bytes (every foreground/background pair, with and without the blink bit), line
// drawing joined across the 9th column, shades and blocks, and a cursor.
import { MemoryScreen } from '../../tools/screen/memory-screen.ts';
import type { TextModeSettings } from '../../tools/screen/vga.ts';

const HEX = '0123456789ABCDEF';

/** The test card the reference PNG was rendered from (with mode 03h's settings unless others are given). */
export function testCard(settings: Partial<TextModeSettings> = {}): MemoryScreen {
  const s = new MemoryScreen(80, 25, settings);
  s.write(0, 0, ' VGA text test card: 256 characters and 256 attributes'.padEnd(80), 0x1f);

  s.write(1, 1, 'CP437', 0x0e);
  s.write(1, 37, 'background (rows) x foreground', 0x0e);
  for (let i = 0; i < 16; i++) {
    s.write(2, 3 + i * 2, HEX[i]!, 0x08);
    s.write(3 + i, 1, HEX[i]!, 0x08);
    s.write(2, 38 + i * 2, HEX[i]!, 0x08);
    s.write(3 + i, 36, HEX[i]!, 0x08);
  }
  for (let code = 0; code < 256; code++) {
    const hi = code >> 4;
    const lo = code & 15;
    s.setCell(3 + hi, 3 + lo * 2, code | 0x0700);
    // Each pair cell shows its own attribute byte in hex.
    s.setCell(3 + hi, 38 + lo * 2, HEX.charCodeAt(hi) | (code << 8));
    s.setCell(3 + hi, 39 + lo * 2, HEX.charCodeAt(lo) | (code << 8));
  }

  s.write(3, 71, '╔═╦═╗', 0x0b);
  s.write(4, 71, '║ ║ ║', 0x0b);
  s.write(5, 71, '╠═╬═╣', 0x0b);
  s.write(6, 71, '╚═╩═╝', 0x0b);
  s.write(8, 71, '┌─┬─┐', 0x0a);
  s.write(9, 71, '├─┼─┤', 0x0a);
  s.write(10, 71, '└─┴─┘', 0x0a);
  s.write(12, 71, '╓─╥─╖', 0x0d);
  s.write(13, 71, '╟─╫─╢', 0x0d);
  s.write(14, 71, '╙─╨─╜', 0x0d);
  s.write(16, 71, '╒═╤═╕', 0x0c);
  s.write(17, 71, '╞═╪═╡', 0x0c);
  s.write(18, 71, '╘═╧═╛', 0x0c);

  s.write(20, 1, '╔' + '═'.repeat(76) + '╗', 0x1f);
  s.write(21, 1, '║' + ' Box lines join across the 9th column: ──══ ░░▒▒▓▓██ ▄▄▀▀ ▌▐ '.padEnd(76) + '║', 0x1f);
  s.write(22, 1, '╚' + '═'.repeat(76) + '╝', 0x1f);
  s.write(21, 66, 'blinks', 0x9e);
  s.write(24, 0, 'C:\\>', 0x07);
  s.setCursor({ row: 24, col: 4, visible: true });
  return s;
}
