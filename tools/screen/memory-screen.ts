// A text screen held in memory: what a parsed snapshot becomes, and a canvas for tools that
// compose screens of their own (test cards, the terminal tryout).
import type { TextCursor, TextScreen } from '../../machine/interfaces.ts';
import { unicodeToCp437 } from './cp437.ts';
import { MODE_03H, MODE_03H_CURSOR, type CursorShape, type TextModeSettings, type TextScreenExtras } from './vga.ts';

/** A TextScreen backed by an array of cells (char | attr << 8), initially blank grey-on-black. */
export class MemoryScreen implements TextScreen, TextScreenExtras {
  readonly cells: Uint16Array;
  private readonly settings: TextModeSettings;
  private cursorState: TextCursor = { row: 0, col: 0, visible: false };
  private shape: CursorShape = { ...MODE_03H_CURSOR };

  /** A cols x rows screen with the display settings of mode 03h, except those given. */
  constructor(
    readonly cols: number,
    readonly rows: number,
    settings: Partial<TextModeSettings> = {},
  ) {
    if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < 1 || rows < 1) {
      throw new RangeError(`a screen needs a positive whole number of columns and rows, not ${cols}x${rows}`);
    }
    this.cells = new Uint16Array(cols * rows).fill(0x0720);
    this.settings = { ...MODE_03H, ...settings };
  }

  /** The cell at (row, col); cells outside the screen read as 0. */
  cell(row: number, col: number): number {
    if (row < 0 || row >= this.rows || col < 0 || col >= this.cols) return 0;
    return this.cells[row * this.cols + col]!;
  }

  /** A copy of the cursor, so callers cannot move it by accident. */
  cursor(): TextCursor {
    return { ...this.cursorState };
  }

  /** The cursor's scan lines, mode 03h's unless set. */
  cursorShape(): CursorShape {
    return { ...this.shape };
  }

  /** The display settings given at construction (mode 03h's otherwise). */
  blinkEnabled(): boolean {
    return this.settings.blinkEnabled;
  }

  lineGraphics(): boolean {
    return this.settings.lineGraphics;
  }

  dotsPerChar(): 8 | 9 {
    return this.settings.dotsPerChar;
  }

  /** Sets one cell; writes outside the screen are dropped, as text past a VGA row's end would be. */
  setCell(row: number, col: number, value: number): void {
    if (row < 0 || row >= this.rows || col < 0 || col >= this.cols) return;
    this.cells[row * this.cols + col] = value & 0xffff;
  }

  /** Writes `text` (Unicode that CP437 can show) from (row, col) in `attr`, clipped at the row's end. */
  write(row: number, col: number, text: string, attr = 0x07): void {
    let c = col;
    for (const ch of text) {
      const code = unicodeToCp437(ch);
      if (code === undefined) throw new RangeError(`'${ch}' is not in code page 437`);
      this.setCell(row, c++, code | (attr << 8));
    }
  }

  /** Moves the cursor and sets whether it shows. */
  setCursor(cursor: TextCursor): void {
    this.cursorState = { ...cursor };
  }

  /** Sets the cursor's scan lines, as a guest does through CRTC registers 0x0A and 0x0B. */
  setCursorShape(shape: CursorShape): void {
    this.shape = { ...shape };
  }
}
