// Draws a text screen on an ANSI terminal, sending only the cells that changed since the
// previous frame.
//
// The terminal is assumed to be in the state the session puts it in: autowrap off, so writing
// the last column never scrolls; the screen sits at the top left. When the terminal is smaller
// than the screen, a window of it follows the cursor and the bottom line says so.
import type { TextCursor, TextScreen } from '../../../machine/interfaces.ts';
import { cp437ToUnicode } from '../cp437.ts';
import { MODE_03H_CURSOR, textModeSettings, type RichTextScreen } from '../vga.ts';
import { penFor, sameBackground, sgrChange, type Pen } from './sgr.ts';

/** Terminal size in character cells. */
export interface TerminalSize {
  cols: number;
  rows: number;
}

// The CSI sequence that moves the cursor to 0-based (row, col).
function moveTo(row: number, col: number): string {
  return `\x1b[${row + 1};${col + 1}H`;
}

const UNKNOWN = -1;

// Codes whose Unicode every terminal draws one cell wide: ASCII, Latin-1, box drawing and blocks.
// After the others (card suits, arrows, Greek, which some terminals and fonts draw wide) the
// next cell is placed with an absolute move, so a wide glyph cannot shift the rest of the row.
const SURELY_NARROW: readonly boolean[] = Array.from({ length: 256 }, (_, code) => {
  const u = cp437ToUnicode(code).codePointAt(0)!;
  return u <= 0xff || (u >= 0x2500 && u <= 0x259f);
});

/** The DECSCUSR cursor style nearest the VGA cursor: 3 blinking underline, 1 blinking block. */
function cursorStyle(screen: RichTextScreen): number {
  // A cursor starting in the top half of the 16-line cell looks like a block.
  return (screen.cursorShape?.() ?? MODE_03H_CURSOR).start < 8 ? 1 : 3;
}

/** A terminal's picture of the screen, to compute the escapes that bring it up to date. */
export class TerminalFrame {
  private drawn = new Int32Array(0);
  private drawnCols = 0;
  private drawnRows = 0;
  private pen: Pen | null = null;
  private at: { row: number; col: number } | null = null;
  private cursorShown: boolean | null = null;
  private style: number | null = null;
  private statusDrawn: string | null = null;
  private cleared = false;
  private originRow = 0;
  private originCol = 0;

  constructor(private size: TerminalSize) {}

  /** Forgets everything drawn: the next render clears the terminal and draws every cell. */
  invalidate(): void {
    this.drawn.fill(UNKNOWN);
    this.pen = null;
    this.at = null;
    this.cursorShown = null;
    this.style = null;
    this.statusDrawn = null;
    this.cleared = false;
  }

  /** Takes the terminal's new size; the next render redraws everything. */
  resize(size: TerminalSize): void {
    this.size = size;
    this.invalidate();
  }

  /**
   * The escapes that make the terminal show `screen` (and `status` on the line below it when
   * there is room), given everything earlier renders sent. Empty when nothing changed.
   */
  render(screen: RichTextScreen, status = ''): string {
    const { blinkEnabled } = textModeSettings(screen);
    const term = this.size;
    const clipped = term.cols < screen.cols || term.rows < screen.rows;
    const rows = clipped ? Math.max(1, Math.min(screen.rows, term.rows - 1)) : screen.rows;
    const cols = Math.min(screen.cols, term.cols);
    const cursor = screen.cursor();
    this.follow(cursor, rows, cols, screen);
    if (cols !== this.drawnCols || rows !== this.drawnRows) {
      this.drawn = new Int32Array(rows * cols).fill(UNKNOWN);
      this.drawnCols = cols;
      this.drawnRows = rows;
      this.cleared = false;
    }

    let out = '';
    if (!this.cleared) {
      out += '\x1b[0m\x1b[2J';
      this.pen = null;
      this.at = null;
      this.statusDrawn = null;
      this.cleared = true;
    }
    for (let row = 0; row < rows; row++) {
      for (let col = 0; col < cols; col++) {
        const value = screen.cell(row + this.originRow, col + this.originCol) & 0xffff;
        const index = row * cols + col;
        if (this.drawn[index] === value) continue;
        this.drawn[index] = value;
        out += this.moveFrom(row, col);
        const pen = penFor(value >> 8, blinkEnabled);
        // A blank glyph shows only its background, so any pen with that background will do.
        if (!(isBlank(value & 0xff) && this.pen !== null && sameBackground(this.pen, pen))) {
          out += sgrChange(this.pen, pen);
          this.pen = pen;
        }
        out += cp437ToUnicode(value & 0xff);
        this.at = col + 1 < term.cols && SURELY_NARROW[value & 0xff] ? { row, col: col + 1 } : null;
      }
    }

    const line = clipped
      ? `${screen.cols}x${screen.rows} clipped: rows ${this.originRow}-${this.originRow + rows - 1}, cols ${this.originCol}-${this.originCol + cols - 1}`
      : status;
    const statusRow = clipped ? term.rows - 1 : screen.rows;
    if (statusRow > rows - 1 && statusRow < term.rows && line !== this.statusDrawn) {
      out += `${moveTo(statusRow, 0)}\x1b[0;7m${line.slice(0, Math.max(0, term.cols - 1))}\x1b[0m\x1b[K`;
      this.statusDrawn = line;
      this.pen = null;
      this.at = null;
    }
    return out + this.placeCursor(screen, rows, cols);
  }

  private moveFrom(row: number, col: number): string {
    if (this.at && this.at.row === row && this.at.col === col) return '';
    if (this.at && this.at.row === row && col > this.at.col) {
      const gap = col - this.at.col;
      return gap === 1 ? '\x1b[C' : `\x1b[${gap}C`;
    }
    return moveTo(row, col);
  }

  // Keeps the cursor inside the part of a too-large screen that the terminal shows.
  private follow(cursor: TextCursor, rows: number, cols: number, screen: TextScreen): void {
    const originRow = clampOrigin(this.originRow, cursor.row, rows, screen.rows);
    const originCol = clampOrigin(this.originCol, cursor.col, cols, screen.cols);
    if (originRow !== this.originRow || originCol !== this.originCol) {
      this.originRow = originRow;
      this.originCol = originCol;
      this.drawn.fill(UNKNOWN);
    }
  }

  private placeCursor(screen: RichTextScreen, rows: number, cols: number): string {
    const cursor = screen.cursor();
    const row = cursor.row - this.originRow;
    const col = cursor.col - this.originCol;
    const show = cursor.visible && row >= 0 && row < rows && col >= 0 && col < cols;
    let out = '';
    if (show) {
      out += this.moveFrom(row, col);
      this.at = { row, col };
      const style = cursorStyle(screen);
      if (style !== this.style) out += `\x1b[${style} q`;
      this.style = style;
    }
    if (show !== this.cursorShown) out += show ? '\x1b[?25h' : '\x1b[?25l';
    this.cursorShown = show;
    return out;
  }
}

function isBlank(code: number): boolean {
  return code === 0x00 || code === 0x20 || code === 0xff;
}

function clampOrigin(origin: number, cursor: number, visible: number, total: number): number {
  let o = origin;
  if (cursor >= 0 && cursor < total) {
    if (cursor < o) o = cursor;
    if (cursor >= o + visible) o = cursor - visible + 1;
  }
  return Math.max(0, Math.min(o, total - visible));
}
