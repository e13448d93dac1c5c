import { describe, expect, it } from 'vitest';
import { IoBus } from '../../machine/bus/io-bus.ts';
import { VirtualClock } from '../../machine/clock.ts';
import { A20Gate } from '../../machine/devices/a20-gate.ts';
import { I8042, PS2_BYTE_NS } from '../../machine/devices/i8042.ts';
import { KEYS, keystroke } from '../../machine/devices/keymap.ts';
import { SET2_TO_SET1 } from '../../machine/devices/scancode-translation.ts';
import { SystemControlA } from '../../machine/devices/system-control-a.ts';

function setup() {
  const clock = new VirtualClock();
  const bus = new IoBus();
  const irq = { level: false, raises: 0 };
  const a20Changes: boolean[] = [];
  let resets = 0;
  const a20 = new A20Gate((on) => a20Changes.push(on), true);
  const kbc = new I8042({
    clock,
    irq1: { raise: () => ((irq.level = true), irq.raises++), lower: () => (irq.level = false) },
    a20,
    resetCpu: () => resets++,
  });
  bus.attach(kbc);
  bus.attach(new SystemControlA(a20, () => resets++));
  /** Reads every byte the guest would see by polling the status register, as time passes. */
  const drain = () => {
    const bytes: number[] = [];
    for (let idle = 0; idle < 4; idle++) {
      clock.advanceTo(clock.now() + PS2_BYTE_NS);
      while (bus.read(0x64, 1) & 1) {
        bytes.push(bus.read(0x60, 1));
        idle = 0;
      }
    }
    return bytes;
  };
  const toKeyboard = (...bytes: number[]) => bytes.flatMap((b) => (bus.write(0x60, 1, b), drain()));
  return { clock, bus, kbc, irq, a20, a20Changes, drain, toKeyboard, resets: () => resets };
}

describe('8042 keyboard controller', () => {
  it('passes its self test (0xAA -> 0x55) and interface test (0xAB -> 0x00)', () => {
    const { bus, drain } = setup();
    bus.write(0x64, 1, 0xaa);
    expect(bus.read(0x64, 1) & 0x0d).toBe(0x0d);
    expect(drain()).toEqual([0x55]);
    bus.write(0x64, 1, 0xab);
    expect(drain()).toEqual([0x00]);
  });

  it('reads and writes the command byte through 0x20 and 0x60', () => {
    const { bus, kbc, drain } = setup();
    bus.write(0x64, 1, 0x20);
    expect(drain()).toEqual([0x65]);
    bus.write(0x64, 1, 0x60);
    bus.write(0x60, 1, 0x44);
    bus.write(0x64, 1, 0x20);
    expect(drain()).toEqual([0x44]);
    expect(kbc.commandByte).toBe(0x44);
    // The system flag in the status register follows command byte bit 2.
    expect(bus.read(0x64, 1) & 0x04).toBe(0x04);
  });

  it('delivers typed text as set 1 make/break codes, one byte per read', () => {
    const { kbc, drain } = setup();
    kbc.keyboard.typeText('Hi\n');
    expect(drain()).toEqual([0x2a, 0x23, 0xa3, 0xaa, 0x17, 0x97, 0x1c, 0x9c]);
    expect(kbc.keyboard.queuedKeyEvents).toBe(0);
  });

  it('sends E0-extended keys and modifier combinations', () => {
    const { kbc, drain } = setup();
    kbc.keyboard.pressKey('Up');
    kbc.keyboard.pressKey('Ctrl-C');
    kbc.keyboard.pressKey('F12');
    kbc.keyboard.pressKey('Ctrl+Alt+Delete');
    kbc.keyboard.pressKey('Pause');
    kbc.keyboard.pressKey('a');
    expect(drain()).toEqual([
      0xe0, 0x48, 0xe0, 0xc8,
      0x1d, 0x2e, 0xae, 0x9d,
      0x58, 0xd8,
      0x1d, 0x38, 0xe0, 0x53, 0xe0, 0xd3, 0xb8, 0x9d,
      0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5,
      0x1e, 0x9e,
    ]);
  });

  it('rejects an untypeable character or unknown key name clearly, queuing nothing', () => {
    const { kbc } = setup();
    expect(() => kbc.keyboard.typeText('ok\u00e9')).toThrow(/U\+00E9/);
    expect(() => kbc.keyboard.pressKey('Ctrl-Hyper')).toThrow(/unknown key "Hyper"/);
    expect(kbc.keyboard.queuedKeyEvents).toBe(0);
  });

  it('types long pasted text completely, in order', () => {
    const { kbc, drain } = setup();
    const text = 'abc'.repeat(2000);
    kbc.keyboard.typeText(text);
    const bytes = drain();
    expect(bytes).toHaveLength(text.length * 2);
    expect(bytes.slice(-2)).toEqual([0x2e, 0xae]);
  });

  it('raises IRQ1 when a byte fills the output buffer and lowers it when read', () => {
    const { bus, kbc, irq, clock } = setup();
    kbc.keyboard.pressKey('a');
    expect(irq.level).toBe(false);
    clock.advanceTo(PS2_BYTE_NS);
    expect(irq.level).toBe(true);
    expect(bus.read(0x60, 1)).toBe(0x1e);
    expect(irq.level).toBe(false);
    // The break code is F0 1C on the wire: two byte times before the translated 0x9E arrives.
    clock.advanceTo(3 * PS2_BYTE_NS);
    expect(irq.raises).toBe(2);
    expect(bus.read(0x60, 1)).toBe(0x9e);
    // With command byte bit 0 clear the buffer fills without an interrupt.
    bus.write(0x64, 1, 0x60);
    bus.write(0x60, 1, 0x44);
    kbc.keyboard.pressKey('b');
    clock.advanceTo(5 * PS2_BYTE_NS);
    expect(bus.read(0x64, 1) & 1).toBe(1);
    expect(irq.raises).toBe(2);
  });

  it('holds keys back while the keyboard interface is disabled (0xAD/0xAE)', () => {
    const { bus, kbc, drain } = setup();
    bus.write(0x64, 1, 0xad);
    kbc.keyboard.pressKey('Escape');
    expect(drain()).toEqual([]);
    bus.write(0x64, 1, 0xae);
    expect(drain()).toEqual([0x01, 0x81]);
  });

  it('answers keyboard commands with ACK: reset, echo, identify, LEDs, scan code set', () => {
    const { kbc, toKeyboard } = setup();
    expect(toKeyboard(0xff)).toEqual([0xfa, 0xaa]);
    expect(toKeyboard(0xee)).toEqual([0xee]);
    // Identify answers AB 83; the translating 8042 turns 83 into 41.
    expect(toKeyboard(0xf2)).toEqual([0xfa, 0xab, 0x41]);
    expect(toKeyboard(0xed, 0x05)).toEqual([0xfa, 0xfa]);
    expect(kbc.keyboard.leds).toBe(5);
    // Current set is 2, which translation reports as 0x41.
    expect(toKeyboard(0xf0, 0x00)).toEqual([0xfa, 0xfa, 0x41]);
    expect(toKeyboard(0xf0, 0x03)).toEqual([0xfa, 0xfe]);
    expect(toKeyboard(0x42)).toEqual([0xfe]);
  });

  it('stops scanning on 0xF5 without losing typed keys, and resumes on 0xF4', () => {
    const { kbc, toKeyboard, drain } = setup();
    expect(toKeyboard(0xf5)).toEqual([0xfa]);
    kbc.keyboard.typeText('q');
    expect(drain()).toEqual([]);
    expect(toKeyboard(0xf4)).toEqual([0xfa, 0x10, 0x90]);
  });

  it('sends raw set 2 with translation off, and set 1 when the keyboard is switched to it', () => {
    const { bus, kbc, drain, toKeyboard } = setup();
    bus.write(0x64, 1, 0x60);
    bus.write(0x60, 1, 0x05);
    kbc.keyboard.pressKey('a');
    kbc.keyboard.pressKey('Home');
    expect(drain()).toEqual([0x1c, 0xf0, 0x1c, 0xe0, 0x6c, 0xe0, 0xf0, 0x6c]);
    expect(toKeyboard(0xf2)).toEqual([0xfa, 0xab, 0x83]);
    expect(toKeyboard(0xf0, 0x01)).toEqual([0xfa, 0xfa]);
    kbc.keyboard.pressKey('a');
    expect(drain()).toEqual([0x1e, 0x9e]);
  });

  it('has a key table whose set 2 codes the 8042 translates to its set 1 codes', () => {
    for (const key of KEYS) {
      expect(key.set2 >> 8, key.name).toBe(key.set1 >> 8);
      expect(SET2_TO_SET1[key.set2 & 0xff], key.name).toBe(key.set1 & 0xff);
    }
    // End to end: every key, sent in set 2 through the translating 8042, arrives exactly as the
    // keyboard itself sends it in set 1 with translation off.
    const translated = setup();
    const native = setup();
    native.bus.write(0x64, 1, 0x60);
    native.bus.write(0x60, 1, 0x05);
    expect(native.toKeyboard(0xf0, 0x01)).toEqual([0xfa, 0xfa]);
    for (const key of KEYS) {
      translated.kbc.keyboard.pressKey(key.name);
      native.kbc.keyboard.pressKey(key.name);
      const bytes = translated.drain();
      expect(bytes, key.name).toEqual(native.drain());
      if (key.sequences) expect(bytes, key.name).toEqual(key.sequences.set1.flat());
    }
    expect(new Set(KEYS.map((k) => k.set1)).size).toBe(KEYS.length);
    const names = (spec: string) => keystroke(spec).map((e) => `${e.key.name}${e.down ? '+' : '-'}`);
    expect(names('Shift-Tab')).toEqual(['ShiftLeft+', 'Tab+', 'Tab-', 'ShiftLeft-']);
    // Shift is held once even when both the spec and the character ask for it.
    expect(names('Shift-!')).toEqual(['ShiftLeft+', '1+', '1-', 'ShiftLeft-']);
    expect(names('Alt-Shift-A')).toEqual(['AltLeft+', 'ShiftLeft+', 'A+', 'A-', 'ShiftLeft-', 'AltLeft-']);
    expect(names(' ')).toEqual(['Space+', 'Space-']);
  });

  it('gates A20 through the output port (0xD1, 0xDD/0xDF) and port 0x92, either one enabling it', () => {
    const { bus, a20, a20Changes, drain } = setup();
    expect(a20.enabled).toBe(true);
    bus.write(0x64, 1, 0xd1);
    bus.write(0x60, 1, 0xdd);
    expect(a20.enabled).toBe(false);
    bus.write(0x64, 1, 0xd0);
    expect(drain()[0]! & 0x03).toBe(0x01);
    bus.write(0x92, 1, 0x02);
    expect(a20.enabled).toBe(true);
    expect(bus.read(0x92, 1)).toBe(0x02);
    // The 8042's output port still shows its own A20 bit clear.
    bus.write(0x64, 1, 0xd0);
    expect(drain()[0]! & 0x02).toBe(0);
    bus.write(0x64, 1, 0xdf);
    bus.write(0x92, 1, 0x00);
    expect(a20.enabled).toBe(true);
    bus.write(0x64, 1, 0xdd);
    expect(a20Changes).toEqual([false, true, false]);
  });

  it('resets the CPU on 0xFE, on an output port write with bit 0 clear, and on port 0x92 bit 0', () => {
    const { bus, resets } = setup();
    bus.write(0x64, 1, 0xff);
    expect(resets()).toBe(0);
    bus.write(0x64, 1, 0xfe);
    expect(resets()).toBe(1);
    bus.write(0x64, 1, 0xd1);
    bus.write(0x60, 1, 0x02);
    expect(resets()).toBe(2);
    bus.write(0x92, 1, 0x01);
    bus.write(0x92, 1, 0x01);
    expect(resets()).toBe(3);
  });

  it('answers the mouse port loopback and reports no mouse behind it', () => {
    const { bus, drain } = setup();
    bus.write(0x64, 1, 0xd3);
    bus.write(0x60, 1, 0x5a);
    expect(bus.read(0x64, 1) & 0x21).toBe(0x21);
    expect(drain()).toEqual([0x5a]);
    bus.write(0x64, 1, 0xd4);
    bus.write(0x60, 1, 0xf2);
    expect(drain()).toEqual([0xfe]);
  });
});
