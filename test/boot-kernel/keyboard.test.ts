// The keyboard driver's scancode set 1 decoding, as the 8042 delivers the keys.
import { describe, expect, it } from 'vitest';
import { Keyboard } from '../../kernel/arch/i386/drivers/keyboard.ts';

const noPorts = { read: () => 0, write: () => {} };

function typed(codes: number[]): string {
  const kb = new Keyboard(noPorts);
  return codes.map((c) => kb.decode(c)).filter((b): b is number => b !== null).map((b) => String.fromCharCode(b)).join('');
}

describe('keyboard driver', () => {
  it('types letters, digits and Enter as CR, ignoring releases', () => {
    expect(typed([0x23, 0xa3, 0x17, 0x97, 0x02, 0x82, 0x1c, 0x9c])).toBe('hi1\r');
  });

  it('applies Shift while it is held, and Caps Lock to letters only', () => {
    expect(typed([0x2a, 0x23, 0x02, 0xaa, 0x23])).toBe('H!h');
    expect(typed([0x3a, 0xba, 0x23, 0x02])).toBe('H1');
  });

  it('turns Ctrl-letter into a control character and Backspace into DEL', () => {
    expect(typed([0x1d, 0x2e, 0xae, 0x9d, 0x0e])).toBe('\x03\x7f');
  });

  it('ignores keys behind the 0xE0 prefix (arrows) but keeps the right Ctrl', () => {
    expect(typed([0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x1d, 0x20, 0xe0, 0x9d, 0x20])).toBe('\x04d');
  });
});
