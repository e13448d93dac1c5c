// The terminal side of an interactive run: raw keyboard in, the text screen out, and the
// terminal always given back the way it was found.
//
// start() switches to the alternate screen (so the user's scrollback is untouched), hides the
// host cursor while drawing, turns autowrap off and puts a TTY stdin into raw mode. stop()
// undoes all of it, and runs by itself when the process exits, throws an uncaught error, or
// gets SIGINT, SIGTERM or SIGHUP. Input that is not a TTY (a pipe, a file) is read as plain
// text with no escape sequences and no Ctrl-A commands.
import type { TextScreen } from '../../../machine/interfaces.ts';
import { KeyDecoder, type KeyEvent } from '../input/keys.ts';
import { EscapePrefix, PREFIX_HELP, type Command } from '../input/prefix.ts';
import { TerminalFrame } from './frame.ts';

/** The keyboard side: stdin, or anything readable that may be a TTY. */
export type SessionInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** The display side: stdout, or anything writable that may be a TTY with a size. */
export type SessionOutput = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };

/** The process events a session hooks to restore the terminal; the real process by default. */
export type ProcessHooks = Pick<NodeJS.Process, 'on' | 'off' | 'listenerCount' | 'kill' | 'pid'>;

/** How a session is wired; everything has a default. */
export interface SessionOptions {
  input?: SessionInput;
  output?: SessionOutput;
  process?: ProcessHooks;
  /** How long a lone ESC waits for the rest of a sequence before it counts as the Escape key. */
  escapeDelayMs?: number;
}

const ENTER = '\x1b[?1049h\x1b[?7l\x1b[?25l';
const LEAVE = '\x1b[0m\x1b[0 q\x1b[?25h\x1b[?7h\x1b[?1049l';
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A running terminal front end: draws screens, reports keys and Ctrl-A commands. */
export class TerminalSession {
  private readonly input: SessionInput;
  private readonly output: SessionOutput;
  private readonly proc: ProcessHooks;
  private readonly escapeDelayMs: number;
  private readonly decoder: KeyDecoder;
  private readonly prefix: EscapePrefix | null;
  private readonly frame: TerminalFrame;
  private readonly keyListeners: ((key: KeyEvent) => void)[] = [];
  private readonly commandListeners: ((command: Command) => void)[] = [];
  private readonly endListeners: (() => void)[] = [];
  private running = false;
  private rawMode = false;
  private status = '';
  private lastScreen: TextScreen | null = null;
  private escapeTimer: NodeJS.Timeout | null = null;

  constructor(options: SessionOptions = {}) {
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    this.proc = options.process ?? process;
    this.escapeDelayMs = options.escapeDelayMs ?? 30;
    const tty = this.input.isTTY === true;
    this.decoder = new KeyDecoder({ plainText: !tty });
    this.prefix = tty ? new EscapePrefix() : null;
    this.frame = new TerminalFrame(this.size());
  }

  /** Whether the output is a terminal; when it is not (a file, a pipe), drawing on it makes little sense. */
  get outputIsTerminal(): boolean {
    return this.output.isTTY === true;
  }

  /** Takes over the terminal and starts reading keys; does nothing if already started. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.output.isTTY) this.output.write(ENTER);
    if (this.input.isTTY && this.input.setRawMode) {
      this.input.setRawMode(true);
      this.rawMode = true;
    }
    this.frame.resize(this.size());
    this.input.on('data', this.onData);
    this.input.on('end', this.onEnd);
    this.input.resume();
    this.output.on('resize', this.onResize);
    this.proc.on('exit', this.stop);
    this.proc.on('uncaughtExceptionMonitor', this.stop);
    for (const signal of SIGNALS) this.proc.on(signal, this.onSignal);
  }

  /** Shows `screen`, sending only what changed since the last draw; nothing while stopped. */
  draw(screen: TextScreen): void {
    this.lastScreen = screen;
    if (!this.running) return;
    const out = this.frame.render(screen, this.status);
    // Synchronized update (private mode 2026): terminals that know it show the frame at once
    // instead of half-drawn; the others ignore an unknown mode.
    if (out !== '') this.output.write(`\x1b[?2026h${out}\x1b[?2026l`);
  }

  /** Sets the line under the screen (shown when the terminal has a spare line). */
  setStatus(text: string): void {
    this.status = text;
    if (this.lastScreen) this.draw(this.lastScreen);
  }

  /** Calls `listener` with each key meant for the guest. */
  onKey(listener: (key: KeyEvent) => void): void {
    this.keyListeners.push(listener);
  }

  /** Calls `listener` with each Ctrl-A command (quit, screenshot, help). */
  onCommand(listener: (command: Command) => void): void {
    this.commandListeners.push(listener);
  }

  /** Calls `listener` when the input ends (end of a pipe, or the terminal closed). */
  onInputEnd(listener: () => void): void {
    this.endListeners.push(listener);
  }

  /** Gives the terminal back as it was; safe to call any number of times, from any state. */
  readonly stop = (): void => {
    if (!this.running) return;
    this.running = false;
    if (this.escapeTimer) clearTimeout(this.escapeTimer);
    this.escapeTimer = null;
    this.input.off('data', this.onData);
    this.input.off('end', this.onEnd);
    this.input.pause();
    this.output.off('resize', this.onResize);
    this.proc.off('exit', this.stop);
    this.proc.off('uncaughtExceptionMonitor', this.stop);
    for (const signal of SIGNALS) this.proc.off(signal, this.onSignal);
    try {
      if (this.rawMode) this.input.setRawMode?.(false);
      if (this.output.isTTY) this.output.write(LEAVE);
    } catch {
      // After a hangup the terminal is gone and there is nothing left to restore.
    }
    this.rawMode = false;
  };

  private size(): { cols: number; rows: number } {
    return { cols: this.output.columns ?? 80, rows: this.output.rows ?? 26 };
  }

  private readonly onData = (chunk: Buffer | string): void => {
    if (this.escapeTimer) clearTimeout(this.escapeTimer);
    this.escapeTimer = null;
    this.dispatch(this.decoder.feed(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk));
    if (this.decoder.pending) {
      this.escapeTimer = setTimeout(() => {
        this.escapeTimer = null;
        this.dispatch(this.decoder.flush());
      }, this.escapeDelayMs);
      this.escapeTimer.unref();
    }
  };

  private readonly onEnd = (): void => {
    this.dispatch(this.decoder.flush());
    for (const listener of this.endListeners) listener();
  };

  private readonly onResize = (): void => {
    this.frame.resize(this.size());
    if (this.lastScreen) this.draw(this.lastScreen);
  };

  // Restores the terminal, then lets the signal do what it would have done without us.
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.stop();
    if (this.proc.listenerCount(signal) === 0) this.proc.kill(this.proc.pid, signal);
  };

  private dispatch(keys: KeyEvent[]): void {
    for (const key of keys) {
      if (!this.prefix) {
        this.emitKey(key);
        continue;
      }
      const result = this.prefix.feed(key);
      switch (result.kind) {
        case 'key':
          this.emitKey(result.key);
          break;
        case 'prefix':
          this.setStatus(PREFIX_HELP);
          break;
        case 'unknown':
          this.setStatus(`Ctrl-A ${result.key.key} is not a command. ${PREFIX_HELP}`);
          break;
        case 'command':
          if (result.command === 'help') this.setStatus(PREFIX_HELP);
          for (const listener of this.commandListeners) listener(result.command);
          break;
      }
    }
  }

  private emitKey(key: KeyEvent): void {
    for (const listener of this.keyListeners) listener(key);
  }
}
