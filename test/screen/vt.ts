// A small terminal for tests: it interprets exactly the escapes the frame renderer may send
// and fails loudly on anything else or on drawing outside its size, so a test can compare what
// a real terminal would show with the screen it was meant to show.

export interface VtCell {
  ch: string;
  sgr: string;
}

export class Vt {
  readonly grid: VtCell[][];
  row = 0;
  col = 0;
  cursorVisible = true;
  cursorStyle = 0;
  private fg = 39;
  private bg = 49;
  private blink = false;
  private reverse = false;

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.grid = Array.from({ length: rows }, () => Array.from({ length: cols }, () => ({ ch: ' ', sgr: '39;49' })));
  }

  /** The SGR state as a cell records it. */
  private current(): string {
    return `${this.fg};${this.bg}${this.blink ? ';5' : ''}${this.reverse ? ';7' : ''}`;
  }

  write(data: string): void {
    let i = 0;
    const chars = Array.from(data);
    while (i < chars.length) {
      const ch = chars[i]!;
      if (ch === '\x1b') {
        if (chars[i + 1] !== '[') throw new Error(`unexpected escape at ${i}: ${JSON.stringify(chars.slice(i, i + 6).join(''))}`);
        let j = i + 2;
        let body = '';
        while (j < chars.length && !/[@-~]/.test(chars[j]!)) body += chars[j++];
        if (j >= chars.length) throw new Error('unterminated CSI');
        this.csi(body, chars[j]!);
        i = j + 1;
        continue;
      }
      if (ch < ' ') throw new Error(`control character ${ch.charCodeAt(0)} written`);
      if (this.row >= this.rows || this.col >= this.cols) throw new Error(`drawing outside the terminal at ${this.row},${this.col}`);
      this.grid[this.row]![this.col] = { ch, sgr: this.current() };
      // Autowrap is off: the cursor stays in the last column.
      if (this.col < this.cols - 1) this.col++;
      i++;
    }
  }

  private csi(body: string, final: string): void {
    const params = body.split(';').map((p) => (p === '' ? 0 : Number(p)));
    switch (`${final}`) {
      case 'H':
        this.row = Math.max(1, params[0] || 1) - 1;
        this.col = Math.max(1, params[1] || 1) - 1;
        if (this.row >= this.rows || this.col >= this.cols) throw new Error(`cursor moved outside the terminal: ${body}H`);
        return;
      case 'C':
        this.col = Math.min(this.cols - 1, this.col + Math.max(1, params[0] || 1));
        return;
      case 'J':
        if (body !== '2') throw new Error(`unsupported erase ${body}J`);
        for (const line of this.grid) for (let c = 0; c < this.cols; c++) line[c] = { ch: ' ', sgr: this.current() };
        return;
      case 'K':
        for (let c = this.col; c < this.cols; c++) this.grid[this.row]![c] = { ch: ' ', sgr: this.current() };
        return;
      case 'h':
      case 'l':
        if (body !== '?25') throw new Error(`unsupported mode ${body}${final}`);
        this.cursorVisible = final === 'h';
        return;
      case 'q':
        if (!body.endsWith(' ')) throw new Error(`unsupported ${body}q`);
        this.cursorStyle = Number(body.trim());
        return;
      case 'm':
        for (const p of params) this.sgr(p);
        return;
      default:
        throw new Error(`unsupported CSI ${body}${final}`);
    }
  }

  private sgr(p: number): void {
    if (p === 0) [this.fg, this.bg, this.blink, this.reverse] = [39, 49, false, false];
    else if (p === 5) this.blink = true;
    else if (p === 25) this.blink = false;
    else if (p === 7) this.reverse = true;
    else if ((p >= 30 && p <= 37) || (p >= 90 && p <= 97)) this.fg = p;
    else if ((p >= 40 && p <= 47) || (p >= 100 && p <= 107)) this.bg = p;
    else throw new Error(`unsupported SGR ${p}`);
  }

  /** The text of row `row`, all columns. */
  line(row: number): string {
    return this.grid[row]!.map((c) => c.ch).join('');
  }
}

/** An escape string made readable: ESC as \e. */
export function visible(escapes: string): string {
  return escapes.replace(/\x1b/g, '\\e');
}
