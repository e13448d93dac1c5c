// Host keyboard input: the bytes a terminal sends for key presses, decoded into key events.
//
// A terminal in raw mode sends text as UTF-8, Ctrl+letter as bytes 1-26, and other keys as
// escape sequences: CSI (ESC [) with a final byte and optional numbers, SS3 (ESC O) with a
// letter, as xterm, the Linux console, rxvt and their descendants do. ESC followed by a key is
// that key with Alt. A lone ESC is either the Escape key or the start of a sequence whose rest
// has not arrived yet: the decoder holds it until more bytes come or the caller flushes (the
// session does so after a short pause), so sequences split across reads decode whole.

/** One key press, named like the DOM's KeyboardEvent.key ('a', 'A', 'Enter', 'ArrowUp', 'F1'). */
export interface KeyEvent {
  key: string;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
}

/** Makes a key event; `shift` defaults to whether typing `key` on a US keyboard needs Shift. */
export function keyEvent(key: string, mods: Partial<Omit<KeyEvent, 'key'>> = {}): KeyEvent {
  return { key, ctrl: mods.ctrl ?? false, alt: mods.alt ?? false, shift: mods.shift ?? needsShift(key) };
}

const US_SHIFTED = '~!@#$%^&*()_+{}|:"<>?';

function needsShift(key: string): boolean {
  if (Array.from(key).length !== 1) return false;
  return US_SHIFTED.includes(key) || (key !== key.toLowerCase() && key === key.toUpperCase());
}

// The numbered keys of CSI n ~ (xterm, VT220, Linux console, rxvt).
const TILDE_KEYS: Record<number, string> = {
  1: 'Home', 2: 'Insert', 3: 'Delete', 4: 'End', 5: 'PageUp', 6: 'PageDown', 7: 'Home', 8: 'End',
  11: 'F1', 12: 'F2', 13: 'F3', 14: 'F4', 15: 'F5', 17: 'F6', 18: 'F7', 19: 'F8', 20: 'F9', 21: 'F10',
  23: 'F11', 24: 'F12',
};

// Final letters of CSI and SS3 sequences.
const LETTER_KEYS: Record<string, string> = {
  A: 'ArrowUp', B: 'ArrowDown', C: 'ArrowRight', D: 'ArrowLeft', H: 'Home', F: 'End',
  P: 'F1', Q: 'F2', R: 'F3', S: 'F4',
};

const ESC = 0x1b;

/** Options of a decoder. */
export interface KeyDecoderOptions {
  /** Treat input as plain text (a pipe or a file): no escape sequences, ESC is just Escape. */
  plainText?: boolean;
}

/** Turns raw input bytes into key events, keeping incomplete sequences for the next read. */
export class KeyDecoder {
  private held = new Uint8Array(0);
  private lastWasCr = false;
  private readonly plainText: boolean;

  constructor(options: KeyDecoderOptions = {}) {
    this.plainText = options.plainText ?? false;
  }

  /** Whether bytes of an unfinished key are held, waiting for more input or flush(). */
  get pending(): boolean {
    return this.held.length > 0;
  }

  /** Decodes `input` after any held bytes; returns the complete keys, holds the rest. */
  feed(input: Uint8Array | string): KeyEvent[] {
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
    const buf = new Uint8Array(this.held.length + bytes.length);
    buf.set(this.held);
    buf.set(bytes, this.held.length);
    const keys: KeyEvent[] = [];
    let i = 0;
    while (i < buf.length) {
      const used = this.decodeOne(buf, i, keys);
      if (used === 0) break;
      i += used;
    }
    this.held = buf.slice(i);
    return keys;
  }

  /** Ends the wait for the rest of a sequence: a held ESC is the Escape key (or Alt with what follows it). */
  flush(): KeyEvent[] {
    const buf = this.held;
    this.held = new Uint8Array(0);
    const keys: KeyEvent[] = [];
    let i = 0;
    while (i < buf.length) {
      if (buf[i] === ESC) {
        // What follows a lone ESC that never became a sequence was typed after Escape.
        keys.push(keyEvent('Escape'));
        this.lastWasCr = false;
        i++;
        continue;
      }
      const used = this.decodeOne(buf, i, keys);
      // An incomplete UTF-8 character at the end of input cannot be typed; it is dropped.
      if (used === 0) break;
      i += used;
    }
    return keys;
  }

  // Decodes the key starting at buf[i], pushing any event; returns the bytes used, 0 if incomplete.
  private decodeOne(buf: Uint8Array, i: number, keys: KeyEvent[]): number {
    const b = buf[i]!;
    const cr = this.lastWasCr;
    this.lastWasCr = b === 0x0d;
    if (b === 0x0a && cr) return 1; // the LF of a CRLF line end
    if (b === ESC && !this.plainText) return this.decodeEscape(buf, i, keys);
    if (b < 0x20 || b === 0x7f) {
      keys.push(controlKey(b));
      return 1;
    }
    if (b < 0x80) {
      keys.push(keyEvent(String.fromCharCode(b)));
      return 1;
    }
    const [ch, used] = decodeUtf8(buf, i);
    if (used === 0) return 0;
    if (ch !== undefined) keys.push(keyEvent(ch));
    return used;
  }

  private decodeEscape(buf: Uint8Array, i: number, keys: KeyEvent[]): number {
    if (i + 1 >= buf.length) return 0;
    const next = buf[i + 1]!;
    if (next === 0x5b) return this.decodeCsi(buf, i, keys); // ESC [
    if (next === 0x4f) {
      // ESC O: SS3, a letter, after a modifier number in older xterms (ESC O 5 P is Ctrl+F1).
      let j = i + 2;
      while (j < buf.length && buf[j]! >= 0x30 && buf[j]! <= 0x39) j++;
      if (j >= buf.length) return 0;
      const mods = modifiers(j > i + 2 ? Number(new TextDecoder().decode(buf.subarray(i + 2, j))) : 1);
      const key = LETTER_KEYS[String.fromCharCode(buf[j]!)];
      if (key) keys.push(keyEvent(key, mods));
      else if (buf[j] === 0x4d) keys.push(keyEvent('Enter', mods)); // keypad Enter in application mode
      return j + 1 - i;
    }
    if (next === ESC) {
      // ESC before a whole sequence is Alt with that key (rxvt and others send Alt+Up so).
      if (i + 2 >= buf.length) return 0;
      const after = buf[i + 2];
      if (after !== 0x5b && after !== 0x4f) {
        keys.push(keyEvent('Escape'));
        return 1;
      }
      const inner: KeyEvent[] = [];
      const used = this.decodeEscape(buf, i + 1, inner);
      if (used === 0) return 0;
      for (const key of inner) keys.push({ ...key, alt: true });
      return 1 + used;
    }
    // ESC then a key: that key with Alt.
    const inner: KeyEvent[] = [];
    const used = this.decodeOne(buf, i + 1, inner);
    if (used === 0) return 0;
    for (const key of inner) keys.push({ ...key, alt: true });
    return 1 + used;
  }

  private decodeCsi(buf: Uint8Array, i: number, keys: KeyEvent[]): number {
    let j = i + 2;
    // The Linux console sends F1-F5 as ESC [ [ A to ESC [ [ E.
    if (buf[j] === 0x5b) {
      if (j + 1 >= buf.length) return 0;
      const n = buf[j + 1]! - 0x41;
      if (n >= 0 && n < 5) keys.push(keyEvent(`F${n + 1}`));
      return j + 2 - i;
    }
    // Parameters and intermediates; but rxvt ends Shift+key sequences with '$', an intermediate
    // byte in ECMA-48, so '$' is taken as a final byte.
    while (j < buf.length && buf[j]! >= 0x20 && buf[j]! <= 0x3f && buf[j] !== 0x24) j++;
    if (j >= buf.length) return 0;
    const finalByte = buf[j]!;
    // A byte that cannot end a sequence: drop the broken prefix, decode from that byte on.
    if ((finalByte < 0x40 || finalByte > 0x7e) && finalByte !== 0x24) return j - i;
    const params = new TextDecoder().decode(buf.subarray(i + 2, j)).split(';').map((p) => (p === '' ? 1 : Number(p)));
    const mods = modifiers(params[1] ?? 1);
    const final = String.fromCharCode(finalByte);
    if (final === '~' || final === '^' || final === '$' || final === '@') {
      const key = TILDE_KEYS[params[0]!];
      // rxvt marks modifiers with the final byte instead of a parameter.
      if (final === '^' || final === '@') mods.ctrl = true;
      if (final === '$' || final === '@') mods.shift = true;
      if (key) keys.push(keyEvent(key, mods));
    } else if (final === 'Z') {
      keys.push(keyEvent('Tab', { shift: true }));
    } else if (LETTER_KEYS[final]) {
      keys.push(keyEvent(LETTER_KEYS[final]!, mods));
    }
    return j + 1 - i;
  }
}

// xterm's modifier parameter: 1 + (shift 1 | alt 2 | ctrl 4 | meta 8).
function modifiers(param: number): { ctrl: boolean; alt: boolean; shift: boolean } {
  const bits = Number.isInteger(param) && param > 1 ? param - 1 : 0;
  return { shift: (bits & 1) !== 0, alt: (bits & 10) !== 0, ctrl: (bits & 4) !== 0 };
}

function controlKey(b: number): KeyEvent {
  switch (b) {
    case 0x09:
      return keyEvent('Tab');
    case 0x0a:
    case 0x0d:
      return keyEvent('Enter');
    case 0x08:
    case 0x7f:
      return keyEvent('Backspace');
    case 0x1b:
      return keyEvent('Escape');
    case 0x00:
      return keyEvent(' ', { ctrl: true });
    default:
      // 0x01-0x1A are Ctrl+A to Ctrl+Z; 0x1C-0x1F are Ctrl+\ ] ^ _.
      return keyEvent(b <= 0x1a ? String.fromCharCode(0x60 + b) : '\\]^_'[b - 0x1c]!, { ctrl: true, shift: false });
  }
}

// One UTF-8 character at buf[i]: [char, bytes used]; used 0 when incomplete, char undefined when invalid.
function decodeUtf8(buf: Uint8Array, i: number): [string | undefined, number] {
  const b = buf[i]!;
  const length = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
  if (length === 0 || b > 0xf4) return [undefined, 1];
  for (let k = 1; k < length; k++) {
    if (i + k >= buf.length) return [undefined, 0];
    if ((buf[i + k]! & 0xc0) !== 0x80) return [undefined, k];
  }
  const ch = new TextDecoder('utf-8', { fatal: false }).decode(buf.subarray(i, i + length));
  return [ch === '\ufffd' ? undefined : ch, length];
}

/**
 * The key as a keystroke name in the "Ctrl-Alt-Shift-Key" form the emulated keyboard takes
 * ("Ctrl-c", "Shift-Tab", "Alt-F5", "Shift-A", "!"). Shift is written for named keys and letters
 * (whose names are also key names) but not for symbols such as '!', which say they need Shift.
 */
export function keystrokeName(key: KeyEvent): string {
  const symbol = Array.from(key.key).length === 1 && !/^[a-z]$/i.test(key.key);
  return `${key.ctrl ? 'Ctrl-' : ''}${key.alt ? 'Alt-' : ''}${key.shift && !symbol ? 'Shift-' : ''}${key.key}`;
}
