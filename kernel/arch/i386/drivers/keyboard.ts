// The PS/2 keyboard behind the 8042: scancode set 1 (the controller translates the keyboard's
// set 2) to the bytes a terminal sends: ASCII, Enter as CR, Backspace as DEL, Ctrl-letter as
// 1-26.
import type { PortIo } from '../../../../machine/interfaces.ts';

const PLAIN = "\0\x1b1234567890-=\x7f\tqwertyuiop[]\r\0asdfghjkl;'`\0\\zxcvbnm,./\0*\0 ";
const SHIFTED = '\0\x1b!@#$%^&*()_+\x7f\tQWERTYUIOP{}\r\0ASDFGHJKL:"~\0|ZXCVBNM<>?\0*\0 ';
const LEFT_CTRL = 0x1d;
const LEFT_SHIFT = 0x2a;
const RIGHT_SHIFT = 0x36;
const CAPS_LOCK = 0x3a;
const BREAK = 0x80;
const EXTENDED = 0xe0;
/** 8042 status bit 0: a byte waits at port 0x60. */
const STATUS_OUTPUT_FULL = 0x01;

/** Keyboard state between interrupts: modifiers and a pending 0xE0 prefix. */
export class Keyboard {
  private shift = false;
  private ctrl = false;
  private caps = false;
  private extended = false;

  constructor(private readonly io: PortIo) {}

  /**
   * Takes the bytes that arrived before the driver started (keys typed during boot). Their
   * interrupt edge came before the PIC was programmed and is lost, and while the controller's
   * output buffer stays full no new edge comes: read them now. Returns the bytes they type.
   */
  drain(): number[] {
    const typed: number[] = [];
    for (let n = 0; n < 64 && this.io.read(0x64, 1) & STATUS_OUTPUT_FULL; n++) {
      const byte = this.interrupt();
      if (byte !== null) typed.push(byte);
    }
    return typed;
  }

  /** Reads the scancode the IRQ announced; returns the byte it types, or null (modifiers, releases, keys without a byte). */
  interrupt(): number | null {
    return this.decode(this.io.read(0x60, 1));
  }

  /** One set-1 scancode to a byte, or null. */
  decode(code: number): number | null {
    if (code === EXTENDED) {
      this.extended = true;
      return null;
    }
    const extended = this.extended;
    this.extended = false;
    const make = (code & BREAK) === 0;
    const key = code & ~BREAK;
    if (key === LEFT_CTRL) this.ctrl = make; // with 0xE0: the right Ctrl, same meaning
    else if (!extended && (key === LEFT_SHIFT || key === RIGHT_SHIFT)) this.shift = make;
    else if (make && key === CAPS_LOCK) this.caps = !this.caps;
    if (!make || extended || key >= PLAIN.length) return null;
    const letter = /[a-z]/.test(PLAIN[key]!);
    const shifted = letter ? this.shift !== this.caps : this.shift;
    const byte = (shifted ? SHIFTED : PLAIN).charCodeAt(key);
    if (byte === 0) return null;
    if (this.ctrl && letter) return byte & 0x1f;
    return byte;
  }
}
