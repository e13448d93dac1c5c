// The plain-text snapshot of a text screen, made to be read in a code review:
//
//   text 80x25, cursor at row 2 col 2
//   C:\>dir                       <- 25 lines of text, CP437 shown as Unicode
//   ...
//   attributes
//   07*80                         <- 25 lines of attribute runs, hex byte * count
//   1f*80
//
// Text lines lose their trailing spaces: editors and diff tools strip or hide them, so keeping
// them would make snapshots break on save and show invisible differences; the header keeps the
// width. Row N of the attribute block belongs to row N of the text, and a change to one cell
// changes one line of each block. NUL (0x00) and space look alike on the screen and are both
// written as a space, which reads back as 0x20.
import type { TextScreen } from '../../machine/interfaces.ts';
import { cp437ToUnicode, unicodeToCp437 } from './cp437.ts';
import { MemoryScreen } from './memory-screen.ts';

/** The screen's text, one line per row, trailing spaces removed, rows joined by '\n'. */
export function screenText(screen: TextScreen): string {
  const lines: string[] = [];
  for (let row = 0; row < screen.rows; row++) {
    let line = '';
    for (let col = 0; col < screen.cols; col++) line += cp437ToUnicode(screen.cell(row, col) & 0xff);
    lines.push(line.replace(/ +$/, ''));
  }
  return lines.join('\n');
}

/** The screen's attribute bytes, one line per row of runs "hh*count" ("hh" alone for one cell). */
export function screenAttributes(screen: TextScreen): string {
  const lines: string[] = [];
  for (let row = 0; row < screen.rows; row++) {
    const runs: string[] = [];
    let col = 0;
    while (col < screen.cols) {
      const attr = (screen.cell(row, col) >> 8) & 0xff;
      let end = col + 1;
      while (end < screen.cols && ((screen.cell(row, end) >> 8) & 0xff) === attr) end++;
      const hex = attr.toString(16).padStart(2, '0');
      runs.push(end - col === 1 ? hex : `${hex}*${end - col}`);
      col = end;
    }
    lines.push(runs.join(' '));
  }
  return lines.join('\n');
}

function header(screen: TextScreen): string {
  const cursor = screen.cursor();
  const where = cursor.visible ? `cursor at row ${cursor.row} col ${cursor.col}` : 'cursor hidden';
  return `text ${screen.cols}x${screen.rows}, ${where}`;
}

/** The whole snapshot: header, text block, attribute block, ending with a newline. */
export function formatSnapshot(screen: TextScreen): string {
  return `${header(screen)}\n${screenText(screen)}\nattributes\n${screenAttributes(screen)}\n`;
}

/** A malformed snapshot, with the 1-based line it was found on. */
export class SnapshotError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`snapshot line ${line}: ${detail}`);
    this.name = 'SnapshotError';
  }
}

const HEADER = /^text (\d+)x(\d+), (?:cursor at row (\d+) col (\d+)|cursor hidden)$/;
const RUN = /^([0-9a-f]{2})(?:\*([1-9]\d*))?$/;

/** Reads a snapshot back into a screen; formatSnapshot of the result gives the same text back. */
export function parseSnapshot(snapshot: string): MemoryScreen {
  const lines = snapshot.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  const head = HEADER.exec(lines[0] ?? '');
  if (!head) throw new SnapshotError(1, `expected "text COLSxROWS, cursor at row R col C" or "..., cursor hidden", found "${lines[0] ?? ''}"`);
  const cols = Number(head[1]);
  const rows = Number(head[2]);
  if (cols < 1 || rows < 1) throw new SnapshotError(1, `a screen of ${cols}x${rows} has no cells`);
  const expected = 1 + rows + 1 + rows;
  if (lines.length < expected) {
    throw new SnapshotError(lines.length + 1, `ends early: the snapshot of a ${cols}x${rows} screen has ${expected} lines (header, ${rows} of text, "attributes", ${rows} of attributes)`);
  }
  if (lines.length > expected) throw new SnapshotError(expected + 1, `unexpected line after the last row of attributes`);
  const screen = new MemoryScreen(cols, rows);
  if (head[3] !== undefined) screen.setCursor({ row: Number(head[3]), col: Number(head[4]), visible: true });

  for (let row = 0; row < rows; row++) {
    const chars = Array.from(lines[1 + row]!);
    if (chars.length > cols) throw new SnapshotError(2 + row, `${chars.length} characters on a ${cols}-column screen`);
    chars.forEach((ch, col) => {
      const code = unicodeToCp437(ch);
      if (code === undefined) {
        const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        throw new SnapshotError(2 + row, `column ${col + 1}: '${ch}' (U+${hex}) is not in code page 437`);
      }
      screen.setCell(row, col, code);
    });
  }

  const marker = 1 + rows;
  if (lines[marker] !== 'attributes') throw new SnapshotError(marker + 1, `expected "attributes", found "${lines[marker]}"`);
  for (let row = 0; row < rows; row++) {
    const lineNo = marker + 2 + row;
    let col = 0;
    for (const token of lines[marker + 1 + row]!.split(' ')) {
      const run = RUN.exec(token);
      if (!run) throw new SnapshotError(lineNo, `"${token}" is not an attribute run (two lowercase hex digits, optionally *count)`);
      const attr = parseInt(run[1]!, 16);
      const count = run[2] === undefined ? 1 : Number(run[2]);
      if (col + count > cols) throw new SnapshotError(lineNo, `runs cover more than ${cols} columns`);
      for (let i = 0; i < count; i++, col++) screen.setCell(row, col, (screen.cell(row, col) & 0xff) | (attr << 8));
    }
    if (col !== cols) throw new SnapshotError(lineNo, `runs cover ${col} of ${cols} columns`);
  }
  return screen;
}
