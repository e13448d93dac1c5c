// The console's line discipline (Linux's n_tty), driven by the terminal attributes. In canonical
// mode (ICANON) keys are edited into a line that becomes readable on Enter; VEOF (Ctrl-D) hands
// over the line without a newline, or end of file when the line is empty. Without ICANON every
// byte is readable at once, and a read waits for VMIN bytes (VTIME is not implemented: reads
// behave as with VTIME 0). ISIG makes VINTR (Ctrl-C), VQUIT (Ctrl-\) and VSUSP (Ctrl-Z) raise
// SIGINT, SIGQUIT and SIGTSTP for the foreground process group; ECHO shows input, ECHOCTL as ^X for control characters.
import { defaultTermios, ECHO, ECHOCTL, ICANON, ICRNL, ISIG, VEOF, VERASE, VINTR, VKILL, VMIN, VQUIT, VSUSP, type Termios } from './termios.ts';

const LF = 0x0a;
const CR = 0x0d;
/** Backspace as some keyboards send it; erases like VERASE. */
const BS = 0x08;

/** Bytes a line may hold before further keys are dropped (Linux's N_TTY_BUF_SIZE less one). */
export const MAX_LINE = 4095;

/** What the discipline does outside itself. */
export interface LineDisciplineHooks {
  /** Shows echoed input on the terminal. */
  echo(text: string): void;
  /** Raises `signal` for the foreground process group. */
  signal(signal: number): void;
  /** Input became readable (a line, end of file, or raw bytes). */
  readable(): void;
}

const SIGINT = 2;
const SIGQUIT = 3;
const SIGTSTP = 20;

/** Input processing for one terminal. */
export class LineDiscipline {
  /** The line being edited (canonical mode). */
  private line: number[] = [];
  /** Completed chunks: lines ending in \n, text handed over by VEOF (empty: end of file), or raw bytes. */
  private chunks: number[][] = [];
  private attrs: Termios = defaultTermios();

  constructor(private readonly hooks: LineDisciplineHooks) {}

  /** The current attributes (a copy). */
  get termios(): Termios {
    return { ...this.attrs, cc: [...this.attrs.cc] };
  }

  /** Changes the attributes (TCSETS); `flush` discards pending input first (TCSETSF). */
  setTermios(t: Termios, flush: boolean): void {
    if (flush) {
      this.line = [];
      this.chunks = [];
    }
    const wasCanonical = this.canonical;
    this.attrs = { ...t, cc: [...t.cc] };
    if (wasCanonical && !this.canonical && this.line.length > 0) {
      // Leaving canonical mode hands the half-edited line over as raw input.
      this.chunks.push(this.line);
      this.line = [];
    }
    if (this.hasInput) this.hooks.readable();
  }

  /** Processes one input byte, as a key press delivers it. */
  receive(byte: number): void {
    const { lflag, iflag, cc } = this.attrs;
    const c = byte === CR && iflag & ICRNL ? LF : byte & 0xff;
    if (lflag & ISIG && (c === cc[VINTR] || c === cc[VQUIT] || c === cc[VSUSP])) {
      // ISIG without NOFLSH: pending input is discarded before the signal.
      this.line = [];
      this.chunks = [];
      this.echo(`${caret(c)}\n`);
      this.hooks.signal(c === cc[VINTR] ? SIGINT : c === cc[VQUIT] ? SIGQUIT : SIGTSTP);
      return;
    }
    if (!this.canonical) {
      this.echo(this.shown(c));
      const last = this.chunks[this.chunks.length - 1];
      if (last && last.length < MAX_LINE) last.push(c);
      else this.chunks.push([c]);
      this.hooks.readable();
      return;
    }
    if (c === LF) {
      this.line.push(c);
      this.echo('\n');
      this.complete();
    } else if (c === cc[VERASE] || c === BS) {
      if (this.line.length > 0) this.echo(this.rubout(this.line.pop()!));
    } else if (c === cc[VKILL]) {
      let text = '';
      while (this.line.length > 0) text += this.rubout(this.line.pop()!);
      this.echo(text);
    } else if (c === cc[VEOF]) {
      this.complete();
    } else if (this.line.length < MAX_LINE) {
      this.line.push(c);
      this.echo(this.shown(c));
    }
  }

  /** Whether a read would find input now. */
  get hasInput(): boolean {
    return this.chunks.length > 0;
  }

  /**
   * What a read of up to `count` bytes returns, or null when it must wait. Canonical: part or
   * all of the first completed line (a read never spans two lines), empty for end of file.
   * Raw: what is there once VMIN bytes (or `count`, if fewer) are; with VMIN 0, at once.
   */
  read(count: number): Uint8Array | null {
    if (!this.canonical) {
      const available = this.chunks.reduce((n, c) => n + c.length, 0);
      const min = Math.min(this.attrs.cc[VMIN] ?? 1, count);
      if (available < min || (available === 0 && min > 0)) return null;
      const all = this.chunks.flat();
      const out = Uint8Array.from(all.slice(0, count));
      const rest = all.slice(count);
      this.chunks = rest.length > 0 ? [rest] : [];
      return out;
    }
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

  private get canonical(): boolean {
    return (this.attrs.lflag & ICANON) !== 0;
  }

  private echo(text: string): void {
    if (this.attrs.lflag & ECHO) this.hooks.echo(text);
  }

  /** How an input byte is echoed: itself, or ^X for a control character with ECHOCTL. */
  private shown(c: number): string {
    return c < 0x20 && c !== LF && c !== 0x09 && this.attrs.lflag & ECHOCTL ? caret(c) : String.fromCharCode(c);
  }

  private complete(): void {
    this.chunks.push(this.line);
    this.line = [];
    this.hooks.readable();
  }

  /** What erases `c` on the screen: one cell, or two for a control character echoed as ^X. */
  private rubout(c: number): string {
    return this.shown(c).length === 2 ? '\b \b\b \b' : '\b \b';
  }
}

function caret(c: number): string {
  return `^${String.fromCharCode((c + 0x40) & 0x7f)}`;
}
