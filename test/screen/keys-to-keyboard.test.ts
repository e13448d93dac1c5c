// Keys decoded from a host terminal reach the emulated PS/2 keyboard as the right scan-code
// events: the names the decoder produces are names the keyboard's key table knows.
import { describe, expect, it } from 'vitest';
import { keystroke } from '../../machine/devices/keymap.ts';
import { KeyDecoder, keystrokeName } from '../../tools/screen/input/keys.ts';

// A keystroke as the keyboard sees it: the keys going down, in order.
function downs(bytes: string): string[][] {
  return new KeyDecoder()
    .feed(Buffer.from(bytes, 'latin1'))
    .map((key) => keystroke(keystrokeName(key)).filter((e) => e.down).map((e) => e.key.name));
}

describe('host keys to the emulated keyboard', () => {
  it('names keys the way the keyboard takes them', () => {
    const names = new KeyDecoder().feed(Buffer.from('aA!\x03\x1b[Z\x1b[1;7C\x1bOP\x1b[24~', 'latin1')).map(keystrokeName);
    expect(names).toEqual(['a', 'Shift-A', '!', 'Ctrl-c', 'Shift-Tab', 'Ctrl-Alt-ArrowRight', 'F1', 'F12']);
  });

  it('types characters with Shift where a US keyboard needs it', () => {
    expect(downs('aA!~')).toEqual([['A'], ['ShiftLeft', 'A'], ['ShiftLeft', '1'], ['ShiftLeft', 'Backquote']]);
  });

  it('presses Ctrl and Alt for control characters and Alt prefixes', () => {
    expect(downs('\x03\x1bx\x00')).toEqual([['ControlLeft', 'C'], ['AltLeft', 'X'], ['ControlLeft', 'Space']]);
  });

  it('knows every named key the decoder produces', () => {
    const sequences =
      '\r\t\x7f\x1b[A\x1b[B\x1b[C\x1b[D\x1b[H\x1b[F\x1b[2~\x1b[3~\x1b[5~\x1b[6~' +
      '\x1bOP\x1bOQ\x1bOR\x1bOS\x1b[15~\x1b[17~\x1b[18~\x1b[19~\x1b[20~\x1b[21~\x1b[23~\x1b[24~\x1b[1;6D\x1b';
    const decoder = new KeyDecoder();
    const keys = [...decoder.feed(Buffer.from(sequences, 'latin1')), ...decoder.flush()];
    expect(keys.map((k) => k.key)).toContain('Escape');
    for (const key of keys) expect(() => keystroke(keystrokeName(key)), keystrokeName(key)).not.toThrow();
    expect(keystroke(keystrokeName(keys.at(-2)!)).filter((e) => e.down).map((e) => e.key.name)).toEqual([
      'ControlLeft', 'ShiftLeft', 'ArrowLeft',
    ]);
  });
});
