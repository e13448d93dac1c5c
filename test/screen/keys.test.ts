import { describe, expect, it } from 'vitest';
import { KeyDecoder, keyEvent, type KeyEvent } from '../../tools/screen/input/keys.ts';

// A key in the compact notation of the expectations below: "C-A-S-key" with the modifiers present.
function show(k: KeyEvent): string {
  return `${k.ctrl ? 'C-' : ''}${k.alt ? 'A-' : ''}${k.shift ? 'S-' : ''}${k.key}`;
}

function decode(...chunks: string[]): string[] {
  const decoder = new KeyDecoder();
  const keys = chunks.flatMap((chunk) => decoder.feed(Buffer.from(chunk, 'latin1')));
  return [...keys, ...decoder.flush()].map(show);
}

// Bytes as a terminal sends them, written with \x escapes; text through UTF-8.
const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

describe('key decoder', () => {
  it('decodes text, with Shift for capitals and shifted symbols as on a US keyboard', () => {
    expect(decode('aZ1!/ ')).toEqual(['a', 'S-Z', '1', 'S-!', '/', ' ']);
  });

  it('decodes UTF-8 characters, also when split across reads', () => {
    expect(decode(utf8('é€😀'))).toEqual(['é', '€', '😀']);
    const bytes = utf8('€');
    expect(decode(bytes.slice(0, 1), bytes.slice(1, 2), bytes.slice(2))).toEqual(['€']);
    expect(decode(utf8('Ä'))).toEqual(['S-Ä']);
  });

  it('drops bytes that are not UTF-8 instead of inventing keys', () => {
    expect(decode('a\x80b\xc3(c')).toEqual(['a', 'b', 'S-(', 'c']);
  });

  it('decodes control characters', () => {
    expect(decode('\r\t\x7f\x08\x01\x03\x1a\x00\x1c\x1f')).toEqual([
      'Enter', 'Tab', 'Backspace', 'Backspace', 'C-a', 'C-c', 'C-z', 'C- ', 'C-\\', 'C-_',
    ]);
  });

  it('takes CR, LF and CRLF each as one Enter, also when CRLF is split', () => {
    expect(decode('a\rb\nc\r\nd')).toEqual(['a', 'Enter', 'b', 'Enter', 'c', 'Enter', 'd']);
    expect(decode('x\r', '\ny')).toEqual(['x', 'Enter', 'y']);
    expect(decode('\n\n')).toEqual(['Enter', 'Enter']);
  });

  it('decodes cursor and editing keys in CSI and SS3 forms', () => {
    expect(decode('\x1b[A\x1b[B\x1b[C\x1b[D\x1bOA\x1bOD\x1b[H\x1b[F\x1bOH\x1bOF')).toEqual([
      'ArrowUp', 'ArrowDown', 'ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowLeft', 'Home', 'End', 'Home', 'End',
    ]);
    expect(decode('\x1b[1~\x1b[2~\x1b[3~\x1b[4~\x1b[5~\x1b[6~\x1b[7~\x1b[8~')).toEqual([
      'Home', 'Insert', 'Delete', 'End', 'PageUp', 'PageDown', 'Home', 'End',
    ]);
  });

  it('decodes F1-F12 as xterm, VT220 and the Linux console send them', () => {
    const xterm = '\x1bOP\x1bOQ\x1bOR\x1bOS\x1b[15~\x1b[17~\x1b[18~\x1b[19~\x1b[20~\x1b[21~\x1b[23~\x1b[24~';
    const names = Array.from({ length: 12 }, (_, i) => `F${i + 1}`);
    expect(decode(xterm)).toEqual(names);
    expect(decode('\x1b[11~\x1b[12~\x1b[13~\x1b[14~')).toEqual(names.slice(0, 4));
    expect(decode('\x1b[[A\x1b[[B\x1b[[C\x1b[[D\x1b[[E')).toEqual(names.slice(0, 5));
  });

  it('decodes modifiers of xterm sequences and rxvt finals', () => {
    expect(decode('\x1b[1;5A\x1b[1;2D\x1b[1;3C\x1b[3;5~\x1b[1;6H\x1b[1;2P\x1b[15;8~\x1b[Z')).toEqual([
      'C-ArrowUp', 'S-ArrowLeft', 'A-ArrowRight', 'C-Delete', 'C-S-Home', 'S-F1', 'C-A-S-F5', 'S-Tab',
    ]);
    expect(decode('\x1b[3^\x1b[5$\x1b[6@')).toEqual(['C-Delete', 'S-PageUp', 'C-S-PageDown']);
    expect(decode('\x1bO2P\x1bO5A\x1bO', '3', 'S')).toEqual(['S-F1', 'C-ArrowUp', 'A-F4']);
    expect(decode('\x1b\x1b[A\x1b\x1bOP', '\x1b\x1b', '[B')).toEqual(['A-ArrowUp', 'A-F1', 'A-ArrowDown']);
  });

  it('decodes ESC followed by a key as that key with Alt', () => {
    expect(decode('\x1bx\x1bX\x1b\x7f\x1b\r\x1b\x01', `\x1b${utf8('é')}`)).toEqual([
      'A-x', 'A-S-X', 'A-Backspace', 'A-Enter', 'C-A-a', 'A-é',
    ]);
  });

  it('holds a sequence split anywhere across reads and decodes it whole', () => {
    const sequence = '\x1b[1;5A';
    for (let cut = 1; cut < sequence.length; cut++) {
      expect(decode(sequence.slice(0, cut), sequence.slice(cut)), `cut at ${cut}`).toEqual(['C-ArrowUp']);
    }
    expect(decode('\x1b', 'O', 'P')).toEqual(['F1']);
    expect(decode('\x1b', '[', '[', 'A')).toEqual(['F1']);
  });

  it('reports held bytes as pending, and takes a lone ESC as Escape when flushed', () => {
    const decoder = new KeyDecoder();
    expect(decoder.feed('a\x1b').map(show)).toEqual(['a']);
    expect(decoder.pending).toBe(true);
    expect(decoder.flush().map(show)).toEqual(['Escape']);
    expect(decoder.pending).toBe(false);
    expect(decoder.feed('\x1b[').map(show)).toEqual([]);
    expect(decoder.flush().map(show)).toEqual(['Escape', '[']);
    expect(decode('\x1b\x1b')).toEqual(['Escape', 'Escape']);
  });

  it('consumes unknown sequences whole without producing keys', () => {
    expect(decode('\x1b[?1;2c', 'a', '\x1b[200~', 'b', '\x1b[99~\x1b[E\x1bOz')).toEqual(['a', 'b']);
  });

  it('treats piped input as plain text: ESC is just Escape, no sequences', () => {
    const decoder = new KeyDecoder({ plainText: true });
    expect(decoder.feed('ls\x1b[A\n').map(show)).toEqual(['l', 's', 'Escape', '[', 'S-A', 'Enter']);
    expect(decoder.pending).toBe(false);
  });

  it('builds events with the US-keyboard Shift by default', () => {
    expect(keyEvent('?')).toEqual({ key: '?', ctrl: false, alt: false, shift: true });
    expect(keyEvent('Enter', { ctrl: true })).toEqual({ key: 'Enter', ctrl: true, alt: false, shift: false });
  });
});
