// The console's line discipline in canonical mode (Linux's n_tty with its default termios:
// ICANON, ECHO, ECHOE, ECHOCTL, ISIG, ICRNL): keys are edited into a line, which becomes
// readable on Enter; Ctrl-D hands over the line without a newline, or end of file when the line
// is empty; Ctrl-C and Ctrl-\ raise SIGINT and SIGQUIT for the foreground process group.

/** Control characters of the default termios c_cc. */
export const Ctrl = {
  INTR: 0x03, // Ctrl-C
  EOF: 0x04, // Ctrl-D
  BS: 0x08, // Backspace as some keyboards send it
  LF: 0x0a,
  CR: 0x0d,
  KILL: 0x15, // Ctrl-U
  QUIT: 0x1c, // Ctrl-\
  ERASE: 0x7f, // DEL, Linux's VERASE
} as const;

/** Bytes a line may hold before further keys are dropped (Linux's N_TTY_BUF_SIZE less one). */
export const MAX_LINE = 4095;

/** What the discipline does outside itself. */
export interface LineDisciplineHooks {
  /** Shows echoed input on the terminal. */
  echo(text: string): void;
  /** Raises `signal` for the foreground process group. */
  signal(signal: number): void;
  /** Input became readable (a line, or end of file). */
  readable(): void;
}

const SIGINT = 2;
const SIGQUIT = 3;

/** Canonical-mode input processing. */
export class LineDiscipline {
  /** The line being edited. */
  private line: number[] = [];
  /** Completed chunks: lines ending in \n, or text handed over by Ctrl-D (empty: end of file). */
  private chunks: number[][] = [];

  constructor(private readonly hooks: LineDisciplineHooks) {}

  /** Processes one input byte, as a key press delivers it. */
  receive(byte: number): void {
    const c = byte === Ctrl.CR ? Ctrl.LF : byte & 0xff;
    switch (c) {
      case Ctrl.LF:
        this.line.push(c);
        this.hooks.echo('\n');
        this.complete();
        return;
      case Ctrl.ERASE:
      case Ctrl.BS:
        if (this.line.length > 0) this.hooks.echo(this.rubout(this.line.pop()!));
        return;
      case Ctrl.KILL: {
        let text = '';
        while (this.line.length > 0) text += this.rubout(this.line.pop()!);
        this.hooks.echo(text);
        return;
      }
      case Ctrl.EOF:
        this.complete();
        return;
      case Ctrl.INTR:
      case Ctrl.QUIT:
        // ISIG without NOFLSH: pending input is discarded before the signal.
        this.line = [];
        this.chunks = [];
        this.hooks.echo(`${caret(c)}\n`);
        this.hooks.signal(c === Ctrl.INTR ? SIGINT : SIGQUIT);
        return;
      default:
        if (this.line.length >= MAX_LINE) return;
        this.line.push(c);
        this.hooks.echo(c < 0x20 ? caret(c) : String.fromCharCode(c));
    }
  }

  /** Whether a read would return now (a line, or end of file, is waiting). */
  get hasInput(): boolean {
    return this.chunks.length > 0;
  }

  /**
   * What a read of up to `count` bytes returns: part or all of the first completed line (a read
   * never spans two lines), an empty array for end of file, or null when nothing is complete.
   */
  read(count: number): Uint8Array | null {
    const chunk = this.chunks[0];
    if (!chunk) return null;
    const n = Math.min(count, chunk.length);
    const out = Uint8Array.from(chunk.splice(0, n));
    if (chunk.length === 0) this.chunks.shift();
    return out;
  }

  /** The line being edited (not yet readable), for display and tests. */
  get pendingLine(): string {
    return String.fromCharCode(...this.line);
  }

  private complete(): void {
    this.chunks.push(this.line);
    this.line = [];
    this.hooks.readable();
  }

  /** What erases `c` on the screen: one cell, or two for a control character echoed as ^X. */
  private rubout(c: number): string {
    return c < 0x20 && c !== Ctrl.LF ? '\b \b\b \b' : '\b \b';
  }
}

function caret(c: number): string {
  return `^${String.fromCharCode(c + 0x40)}`;
}
