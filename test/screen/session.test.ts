import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KeyEvent } from '../../tools/screen/input/keys.ts';
import type { Command } from '../../tools/screen/input/prefix.ts';
import { MemoryScreen } from '../../tools/screen/memory-screen.ts';
import { TerminalSession, type ProcessHooks, type SessionInput, type SessionOutput } from '../../tools/screen/terminal/session.ts';

class FakeInput extends EventEmitter {
  raw = false;
  paused = true;
  constructor(readonly isTTY: boolean) {
    super();
  }
  setRawMode(raw: boolean): void {
    this.raw = raw;
  }
  resume(): void {
    this.paused = false;
  }
  pause(): void {
    this.paused = true;
  }
  type(bytes: string): void {
    this.emit('data', Buffer.from(bytes, 'latin1'));
  }
}

class FakeOutput extends EventEmitter {
  text = '';
  columns = 80;
  rows = 26;
  constructor(readonly isTTY: boolean) {
    super();
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  take(): string {
    const t = this.text;
    this.text = '';
    return t;
  }
}

class FakeProcess extends EventEmitter {
  readonly pid = 4242;
  readonly killed: string[] = [];
  kill(_pid: number, signal: string): true {
    this.killed.push(signal);
    return true;
  }
}

const ENTER = '\x1b[?1049h\x1b[?7l\x1b[?25l';
const LEAVE = '\x1b[0m\x1b[0 q\x1b[?25h\x1b[?7h\x1b[?1049l';

function setup(tty = true) {
  const input = new FakeInput(tty);
  const output = new FakeOutput(tty);
  const proc = new FakeProcess();
  const session = new TerminalSession({
    input: input as unknown as SessionInput,
    output: output as unknown as SessionOutput,
    process: proc as unknown as ProcessHooks,
  });
  const keys: string[] = [];
  const commands: Command[] = [];
  session.onKey((k: KeyEvent) => keys.push(`${k.ctrl ? 'C-' : ''}${k.key}`));
  session.onCommand((c) => commands.push(c));
  return { input, output, proc, session, keys, commands };
}

function screen(): MemoryScreen {
  const s = new MemoryScreen(80, 25);
  s.write(0, 0, 'hello');
  s.setCursor({ row: 0, col: 5, visible: true });
  return s;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('terminal session', () => {
  it('takes over a TTY on start and gives it back on stop, once', () => {
    const { input, output, proc, session } = setup();
    session.start();
    expect(session.outputIsTerminal).toBe(true);
    expect(output.take()).toBe(ENTER);
    expect(input.raw).toBe(true);
    expect(input.paused).toBe(false);
    expect(proc.listenerCount('SIGINT')).toBe(1);
    session.stop();
    session.stop();
    expect(output.take()).toBe(LEAVE);
    expect(input.raw).toBe(false);
    expect(input.paused).toBe(true);
    for (const event of ['exit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'uncaughtExceptionMonitor']) {
      expect(proc.listenerCount(event), event).toBe(0);
    }
    expect(input.listenerCount('data')).toBe(0);
  });

  it('draws the screen, then only changes', () => {
    const { output, session } = setup();
    session.start();
    output.take();
    const s = screen();
    session.draw(s);
    expect(output.take()).toContain('hello');
    session.draw(s);
    expect(output.take()).toBe('');
    s.write(0, 0, 'j');
    expect(output.take()).toBe('');
    session.draw(s);
    expect(output.take()).toBe('\x1b[?2026h\x1b[1;1H\x1b[0;37;40mj\x1b[4C\x1b[?2026l');
  });

  it('draws nothing before start or after stop', () => {
    const { output, session } = setup();
    session.draw(screen());
    expect(output.take()).toBe('');
    session.start();
    session.stop();
    output.take();
    session.draw(screen());
    expect(output.take()).toBe('');
  });

  it('passes keys to the guest and Ctrl-A commands to the front end', () => {
    const { input, session, keys, commands } = setup();
    session.start();
    input.type('ls\r\x03\x01s\x01\x01\x01x');
    expect(keys).toEqual(['l', 's', 'Enter', 'C-c', 'C-a']);
    expect(commands).toEqual(['screenshot', 'quit']);
  });

  it('shows the commands on the status line after Ctrl-A, and says when a command is unknown', () => {
    const { input, output, session } = setup();
    session.start();
    session.draw(screen());
    output.take();
    input.type('\x01');
    expect(output.take()).toContain('Ctrl-A then: X quit, S screenshot, H help');
    input.type('q');
    expect(output.take()).toContain('Ctrl-A q is not a command.');
  });

  it('decodes an escape sequence split across reads', () => {
    const { input, session, keys } = setup();
    session.start();
    input.type('\x1b');
    input.type('[');
    input.type('A');
    expect(keys).toEqual(['ArrowUp']);
  });

  it('takes a lone ESC as the Escape key after a short wait', () => {
    vi.useFakeTimers();
    const { input, session, keys } = setup();
    session.start();
    input.type('\x1b');
    expect(keys).toEqual([]);
    vi.advanceTimersByTime(30);
    expect(keys).toEqual(['Escape']);
  });

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'])('restores the terminal on %s and lets the signal end the process', (signal) => {
    const { output, proc, session, input } = setup();
    session.start();
    output.take();
    proc.emit(signal, signal);
    expect(output.take()).toBe(LEAVE);
    expect(input.raw).toBe(false);
    expect(proc.killed).toEqual([signal]);
  });

  it('leaves the signal to the front end when it handles it too', () => {
    const { output, proc, session } = setup();
    proc.on('SIGINT', () => undefined);
    session.start();
    output.take();
    proc.emit('SIGINT', 'SIGINT');
    expect(output.take()).toBe(LEAVE);
    expect(proc.killed).toEqual([]);
  });

  it.each(['exit', 'uncaughtExceptionMonitor'])('restores the terminal on %s', (event) => {
    const { output, proc, session, input } = setup();
    session.start();
    output.take();
    proc.emit(event);
    expect(output.take()).toBe(LEAVE);
    expect(input.raw).toBe(false);
  });

  it('reads piped input as plain text: no raw mode, no terminal takeover, no commands', () => {
    const { input, output, session, keys, commands } = setup(false);
    session.start();
    expect(session.outputIsTerminal).toBe(false);
    expect(input.raw).toBe(false);
    expect(output.take()).toBe('');
    input.type('a\x01x\x1b[A\n');
    expect(keys).toEqual(['a', 'C-a', 'x', 'Escape', '[', 'A', 'Enter']);
    expect(commands).toEqual([]);
    session.stop();
    expect(output.take()).toBe('');
  });

  it('reports the end of input after the keys before it', () => {
    const { input, session, keys } = setup(false);
    const events: string[] = [];
    session.onInputEnd(() => events.push(`end after ${keys.length} keys`));
    session.start();
    input.type('ab');
    input.emit('end');
    expect(events).toEqual(['end after 2 keys']);
  });

  it('redraws everything at the new size when the terminal is resized', () => {
    const { output, session } = setup();
    session.start();
    session.draw(screen());
    output.take();
    output.columns = 40;
    output.rows = 10;
    output.emit('resize');
    const redrawn = output.take();
    expect(redrawn.startsWith('\x1b[?2026h\x1b[0m\x1b[2J')).toBe(true);
    expect(redrawn).toContain('80x25 clipped: rows 0-8, cols 0-39');
  });
});
