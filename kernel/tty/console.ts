// The console terminal: keyboard input through the line discipline, output to the screen (and
// any mirror, such as the serial port), and the foreground process group that Ctrl-C signals.
import { E } from '../errno.ts';
import { O_NONBLOCK, type FileOps } from '../fs/file.ts';
import { block, WaitQueue } from '../proc/wait-queue.ts';
import { LineDiscipline } from './line-discipline.ts';

const NEWLINE = 0x0a;

/** Where console output goes. */
export type OutputSink = (bytes: Uint8Array) => void;

/** The console: one terminal shared by every process that opened it. */
export class Console {
  readonly readWait = new WaitQueue('tty_read');
  readonly discipline: LineDiscipline;
  /** The process group that receives Ctrl-C (TIOCSPGRP sets it). */
  foregroundGroup = 1;
  private readonly sinks: OutputSink[] = [];
  /** Whether the last byte shown ended a line (the cursor is at column 0). */
  private atLineStart = true;

  constructor(
    /** Raises a signal for a process group (the kernel's kill(-pgrp, sig)). */
    signalGroup: (pgrp: number, signal: number) => void,
  ) {
    this.discipline = new LineDiscipline({
      echo: (text) => this.output(latin1Bytes(text)),
      signal: (signal) => signalGroup(this.foregroundGroup, signal),
      readable: () => this.readWait.wakeAll(),
    });
  }

  /** Sends console output to `sink` too (the VGA writer, a serial port, a test's log). */
  attach(sink: OutputSink): void {
    this.sinks.push(sink);
  }

  /** A key arrived (from the keyboard driver, as a byte). */
  input(byte: number): void {
    this.discipline.receive(byte);
  }

  /** Writes program output to every sink. */
  output(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.atLineStart = bytes[bytes.length - 1] === NEWLINE;
    for (const sink of this.sinks) sink(bytes);
  }

  /** Starts a new line unless the cursor is already at the start of one. */
  freshLine(): void {
    if (!this.atLineStart) this.output(Uint8Array.of(NEWLINE));
  }

  /** The file operations of /dev/console (and of descriptors 0-2 of init). */
  readonly ops: FileOps = {
    seekable: false,
    tty: true,
    read: (file, count) => this.discipline.read(count) ?? (file.flags & O_NONBLOCK ? -E.EAGAIN : block(this.readWait)),
    write: (_file, data) => {
      this.output(data);
      return data.length;
    },
    freshLine: () => this.freshLine(),
  };
}

/** The bytes of a Latin-1 string. */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}
