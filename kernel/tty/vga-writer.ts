// Writes terminal output into VGA text memory (80x25 cells of character + attribute at
// 0xB8000): printable bytes, newline, carriage return, backspace, tab, scrolling, the hardware
// cursor, and the common ANSI escape sequences (SGR colours, cursor moves, erase in display/line).

/** The text buffer as bytes: cell i is byte 2i (character) and 2i+1 (attribute). */
export interface TextMemory {
  read8(offset: number): number;
  write8(offset: number, value: number): void;
}

/** Where the hardware cursor goes (the CRT controller's cursor location, a cell index). */
export interface CursorControl {
  setCursor(cell: number): void;
}

/** Light grey on black, the BIOS default. */
export const DEFAULT_ATTRIBUTE = 0x07;
/** ANSI colour order (black red green yellow blue magenta cyan white) to VGA palette index. */
const ANSI_TO_VGA = [0, 4, 2, 6, 1, 5, 3, 7] as const;

type State = 'text' | 'escape' | 'csi';

/** A terminal on a VGA text screen. */
export class VgaWriter {
  private row = 0;
  private col = 0;
  /** The last column was written: the next printable byte wraps first (VT100 deferred wrap). */
  private pendingWrap = false;
  private attribute = DEFAULT_ATTRIBUTE;
  private bold = false;
  private state: State = 'text';
  private params = '';
  private saved = { row: 0, col: 0 };

  constructor(
    private readonly screen: TextMemory,
    private readonly cursor: CursorControl,
    readonly cols = 80,
    readonly rows = 25,
  ) {}

  /** Clears the screen with the default attribute and homes the cursor. */
  reset(): void {
    this.attribute = DEFAULT_ATTRIBUTE;
    this.bold = false;
    this.clearCells(0, this.cols * this.rows);
    this.moveTo(0, 0);
  }

  /** Writes output bytes (a string is taken as Latin-1 bytes). */
  write(data: Uint8Array | string): void {
    const n = data.length;
    for (let i = 0; i < n; i++) this.put(typeof data === 'string' ? data.charCodeAt(i) & 0xff : data[i]!);
    this.cursor.setCursor(this.row * this.cols + this.col);
  }

  /** The cursor position. */
  get position(): { row: number; col: number } {
    return { row: this.row, col: this.col };
  }

  private put(b: number): void {
    if (this.state === 'escape') {
      this.state = b === 0x5b ? 'csi' : 'text';
      this.params = '';
      if (b === 0x63) this.reset(); // ESC c: full reset
      return;
    }
    if (this.state === 'csi') {
      if ((b >= 0x30 && b <= 0x39) || b === 0x3b || b === 0x3f) {
        this.params += String.fromCharCode(b);
        return;
      }
      this.state = 'text';
      this.csi(b);
      return;
    }
    switch (b) {
      case 0x1b: this.state = 'escape'; return;
      case 0x0a: this.newline(); return;
      case 0x0d: this.col = 0; this.pendingWrap = false; return;
      case 0x08: if (this.col > 0) this.col--; this.pendingWrap = false; return;
      case 0x09: this.col = Math.min(this.cols - 1, (this.col + 8) & ~7); return;
      case 0x07: return; // BEL: nothing to ring
      default:
        if (b < 0x20) return;
        if (this.pendingWrap) {
          this.pendingWrap = false;
          this.col = 0;
          this.lineFeed();
        }
        this.setCell(this.row * this.cols + this.col, b, this.attribute);
        if (this.col === this.cols - 1) this.pendingWrap = true;
        else this.col++;
    }
  }

  /** \n as the console shows it after ONLCR: carriage return and line feed. */
  private newline(): void {
    this.col = 0;
    this.pendingWrap = false;
    this.lineFeed();
  }

  private lineFeed(): void {
    if (this.row < this.rows - 1) {
      this.row++;
      return;
    }
    for (let i = 0; i < (this.rows - 1) * this.cols * 2; i++) this.screen.write8(i, this.screen.read8(i + this.cols * 2));
    this.clearCells((this.rows - 1) * this.cols, this.rows * this.cols);
  }

  private csi(final: number): void {
    const args = this.params.replace('?', '').split(';').map((p) => (p === '' ? NaN : Number(p)));
    const n = (i: number, fallback: number): number => (Number.isNaN(args[i] ?? NaN) ? fallback : args[i]!);
    switch (String.fromCharCode(final)) {
      case 'm': this.sgr(args); return;
      case 'H': case 'f': this.moveTo(n(0, 1) - 1, n(1, 1) - 1); return;
      case 'A': this.moveTo(this.row - Math.max(1, n(0, 1)), this.col); return;
      case 'B': this.moveTo(this.row + Math.max(1, n(0, 1)), this.col); return;
      case 'C': this.moveTo(this.row, this.col + Math.max(1, n(0, 1))); return;
      case 'D': this.moveTo(this.row, this.col - Math.max(1, n(0, 1))); return;
      case 'G': this.moveTo(this.row, n(0, 1) - 1); return;
      case 'J': this.eraseDisplay(n(0, 0)); return;
      case 'K': this.eraseLine(n(0, 0)); return;
      case 's': this.saved = { row: this.row, col: this.col }; return;
      case 'u': this.moveTo(this.saved.row, this.saved.col); return;
      default: return; // other sequences are consumed and ignored, as an unknown CSI on a real console
    }
  }

  private sgr(args: readonly number[]): void {
    for (const raw of args.length === 0 ? [0] : args) {
      const a = Number.isNaN(raw) ? 0 : raw;
      let fg = this.attribute & 0x0f;
      let bg = (this.attribute >> 4) & 0x0f;
      if (a === 0) {
        this.bold = false;
        fg = 7;
        bg = 0;
      } else if (a === 1) {
        this.bold = true;
        fg |= 8;
      } else if (a === 22) {
        this.bold = false;
        fg &= 7;
      } else if (a === 7) {
        [fg, bg] = [bg, fg & 7];
      } else if (a >= 30 && a <= 37) {
        fg = ANSI_TO_VGA[a - 30]! | (this.bold ? 8 : 0);
      } else if (a === 39) {
        fg = 7 | (this.bold ? 8 : 0);
      } else if (a >= 40 && a <= 47) {
        bg = ANSI_TO_VGA[a - 40]!;
      } else if (a === 49) {
        bg = 0;
      } else if (a >= 90 && a <= 97) {
        fg = ANSI_TO_VGA[a - 90]! | 8;
      } else if (a >= 100 && a <= 107) {
        bg = ANSI_TO_VGA[a - 100]! | 8;
      }
      this.attribute = (bg << 4) | fg;
    }
  }

  private eraseDisplay(mode: number): void {
    const here = this.row * this.cols + this.col;
    if (mode === 0) this.clearCells(here, this.rows * this.cols);
    else if (mode === 1) this.clearCells(0, here + 1);
    else this.clearCells(0, this.rows * this.cols);
  }

  private eraseLine(mode: number): void {
    const start = this.row * this.cols;
    const here = start + this.col;
    if (mode === 0) this.clearCells(here, start + this.cols);
    else if (mode === 1) this.clearCells(start, here + 1);
    else this.clearCells(start, start + this.cols);
  }

  private moveTo(row: number, col: number): void {
    this.row = Math.max(0, Math.min(this.rows - 1, row));
    this.col = Math.max(0, Math.min(this.cols - 1, col));
    this.pendingWrap = false;
  }

  private clearCells(from: number, to: number): void {
    for (let i = from; i < to; i++) this.setCell(i, 0x20, this.attribute);
  }

  private setCell(cell: number, ch: number, attribute: number): void {
    this.screen.write8(cell * 2, ch);
    this.screen.write8(cell * 2 + 1, attribute);
  }
}
