import { describe, expect, it } from 'vitest';
import { E } from '../../kernel/errno.ts';
import { LineDiscipline } from '../../kernel/tty/line-discipline.ts';
import { ECHO, ICANON, ISIG, VMIN } from '../../kernel/tty/termios.ts';
import { VgaWriter, type TextMemory } from '../../kernel/tty/vga-writer.ts';
import { SIG } from '../../kernel/proc/signals.ts';
import { DATA, Harness } from './helpers/harness.ts';

function discipline() {
  const echoed: string[] = [];
  const signals: number[] = [];
  let wakes = 0;
  const ld = new LineDiscipline({ echo: (t) => echoed.push(t), signal: (s) => signals.push(s), readable: () => wakes++ });
  const type = (text: string) => { for (const c of text) ld.receive(c.charCodeAt(0)); };
  const read = (n = 100) => { const r = ld.read(n); return r === null ? null : String.fromCharCode(...r); };
  return { ld, echoed, signals, type, read, wakes: () => wakes };
}

describe('line discipline (canonical mode)', () => {
  it('makes input readable only at Enter, echoing as it goes', () => {
    const d = discipline();
    d.type('ls');
    expect(d.read()).toBeNull();
    d.type('\r');
    expect(d.echoed.join('')).toBe('ls\n');
    expect(d.wakes()).toBe(1);
    expect(d.read()).toBe('ls\n');
  });

  it('returns one line per read and splits a line across small reads', () => {
    const d = discipline();
    d.type('one\ntwo\n');
    expect(d.read(2)).toBe('on');
    expect(d.read()).toBe('e\n');
    expect(d.read()).toBe('two\n');
  });

  it('erases with backspace and kills the line with Ctrl-U', () => {
    const d = discipline();
    d.type('cat\x7f\x7fd\x08x');
    expect(d.ld.pendingLine).toBe('cx');
    expect(d.echoed.join('')).toBe('cat\b \b\b \bd\b \bx');
    d.type('\x15');
    expect(d.ld.pendingLine).toBe('');
    d.type('\x7f');
    d.type('ok\n');
    expect(d.read()).toBe('ok\n');
  });

  it('Ctrl-D gives the line without newline, or end of file on an empty line', () => {
    const d = discipline();
    d.type('abc\x04');
    expect(d.read()).toBe('abc');
    d.type('\x04');
    expect(d.read()).toBe('');
    expect(d.read()).toBeNull();
  });

  it('Ctrl-C discards input, echoes ^C and raises SIGINT', () => {
    const d = discipline();
    d.type('done\npartial\x03');
    expect(d.signals).toEqual([SIG.SIGINT]);
    expect(d.read()).toBeNull();
    expect(d.echoed.join('')).toBe('done\npartial^C\n');
    d.type('\x1c');
    expect(d.signals).toEqual([SIG.SIGINT, SIG.SIGQUIT]);
  });
});

describe('console reads through the kernel', () => {
  it('blocks read(0) until a line is typed, and Ctrl-C kills the foreground group', () => {
    const h = new Harness();
    const out: string[] = [];
    h.kernel.console.attach((b) => out.push(String.fromCharCode(...b)));
    const read = h.call('read', 0, DATA, 100);
    expect(read.value).toBe('blocked');
    expect(h.kernel.current).toBeNull();
    expect(h.arch.idles).toBe(1);
    for (const c of 'hi\r') h.kernel.keyboardInput(c.charCodeAt(0));
    expect(read.value).toBe(3);
    expect(h.text(DATA, 3)).toBe('hi\n');
    expect(out.join('')).toBe('hi\n');
    expect(h.current.pid).toBe(1);
    const child = h.sys('fork');
    h.sys('setpgid', child, child);
    h.poke(DATA, new Uint8Array(new Uint32Array([4242]).buffer));
    expect(h.sys('ioctl', 0, 0x5410, DATA)).toBe(-E.ESRCH);
    h.poke(DATA, new Uint8Array(new Uint32Array([child]).buffer));
    expect(h.sys('ioctl', 0, 0x5410, DATA)).toBe(0);
    h.kernel.keyboardInput(3);
    expect(h.kernel.processes.get(child)!.state).toBe('zombie');
    expect(h.kernel.processes.get(1)!.state).toBe('runnable');
  });
});

class FakeScreen implements TextMemory {
  readonly bytes = new Uint8Array(80 * 25 * 2);
  cursor = -1;
  read8(o: number) { return this.bytes[o]!; }
  write8(o: number, v: number) { this.bytes[o] = v; }
  row(r: number) { return String.fromCharCode(...Array.from({ length: 80 }, (_, c) => this.bytes[(r * 80 + c) * 2]!)).trimEnd(); }
  attr(r: number, c: number) { return this.bytes[(r * 80 + c) * 2 + 1]!; }
}

function screen() {
  const s = new FakeScreen();
  const w = new VgaWriter(s, { setCursor: (cell) => (s.cursor = cell) });
  w.reset();
  return { s, w };
}

describe('VGA text writer', () => {
  it('writes text, handles CR, LF, tab and backspace, and moves the hardware cursor', () => {
    const { s, w } = screen();
    w.write('hello\nworld\rW\tx\by');
    expect(s.row(0)).toBe('hello');
    expect(s.row(1)).toBe('World   y');
    expect(s.cursor).toBe(80 + 9);
    expect(s.attr(0, 0)).toBe(0x07);
  });

  it('scrolls at the bottom, and wraps after the last column only when more text follows', () => {
    const { s, w } = screen();
    for (let i = 0; i < 26; i++) w.write(`line ${i}\n`);
    expect(s.row(0)).toBe('line 2');
    expect(s.row(23)).toBe('line 25');
    expect(s.row(24)).toBe('');
    const { s: s2, w: w2 } = screen();
    w2.write('x'.repeat(80));
    expect(w2.position).toEqual({ row: 0, col: 79 });
    w2.write('\n');
    expect(w2.position).toEqual({ row: 1, col: 0 });
    w2.write('y'.repeat(81));
    expect(s2.row(2)).toBe('y');
  });

  it('applies ANSI colours, cursor moves and erases', () => {
    const { s, w } = screen();
    w.write('\x1b[1;31mred\x1b[0m \x1b[44mblue\x1b[m');
    expect(s.attr(0, 0)).toBe(0x0c);
    expect(s.attr(0, 3)).toBe(0x07);
    expect(s.attr(0, 4)).toBe(0x17);
    w.write('\x1b[5;10HX\x1b[2D<\x1b[A^');
    expect(s.row(4)).toBe('        <X');
    expect(s.row(3)).toBe('         ^');
    w.write('\x1b[1;1H\x1b[K');
    expect(s.row(0)).toBe('');
    w.write('\x1b[2J');
    expect(s.row(4)).toBe('');
  });
});

describe('terminal attributes', () => {
  it('raw mode: every byte readable at once, no echo, no signals, VMIN honoured', () => {
    const d = discipline();
    const t = d.ld.termios;
    t.lflag &= ~(ICANON | ECHO | ISIG);
    d.ld.setTermios(t, false);
    d.type('a\x03\r');
    expect(d.echoed).toEqual([]);
    expect(d.signals).toEqual([]);
    expect(d.read(2)).toBe('a\x03');
    expect(d.read(10)).toBe('\n'); // ICRNL still maps CR
    expect(d.read(10)).toBeNull();
    t.cc[VMIN] = 0;
    d.ld.setTermios(t, false);
    expect(d.read(10)).toBe('');
    t.cc[VMIN] = 3;
    d.ld.setTermios(t, false);
    d.type('xy');
    expect(d.read(10)).toBeNull();
    d.type('z');
    expect(d.read(10)).toBe('xyz');
  });

  it('leaving canonical mode hands over the half-typed line; TCSETSF-style flush drops it', () => {
    const d = discipline();
    d.type('par');
    const raw = d.ld.termios;
    raw.lflag &= ~ICANON;
    d.ld.setTermios(raw, false);
    expect(d.read(10)).toBe('par');
    d.type('q');
    d.ld.setTermios(raw, true);
    expect(d.read(10)).toBeNull();
  });

  it('TCGETS reports the console defaults and TCSETS switches the console to raw input', () => {
    const h = new Harness();
    expect(h.sys('ioctl', 0, 0x5401, DATA)).toBe(0);
    const lflag = h.peek32(DATA + 12);
    expect(lflag & (ICANON | ECHO | ISIG)).toBe(ICANON | ECHO | ISIG);
    expect(h.peek(DATA + 17, 7)).toEqual(Uint8Array.of(3, 0x1c, 0x7f, 0x15, 4, 0, 1));
    h.poke(DATA + 12, new Uint8Array(new Uint32Array([lflag & ~(ICANON | ECHO)]).buffer));
    expect(h.sys('ioctl', 0, 0x5402, DATA)).toBe(0);
    const read = h.call('read', 0, DATA + 0x100, 10);
    expect(read.value).toBe('blocked');
    h.kernel.keyboardInput(0x71);
    expect(read.value).toBe(1);
    expect(h.sys('ioctl', 0, 0x5402, 0x30000000)).toBe(-E.EFAULT);
  });
});
