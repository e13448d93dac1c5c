import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../machine/clock.ts';
import { createPcDevices } from '../../machine/devices/board.ts';
import { PS2_BYTE_NS } from '../../machine/devices/i8042.ts';

/** The standard devices with the PIC pair initialised as Linux does (vectors 0x30 and 0x38). */
function setup() {
  const clock = new VirtualClock();
  const serial: number[] = [];
  const exits: number[] = [];
  const pc = createPcDevices({
    clock,
    ramBytes: 16 * 2 ** 20,
    serialOut: (b) => serial.push(b),
    requestExit: (s) => exits.push(s),
  });
  const out = (port: number, value: number) => pc.bus.write(port, 1, value);
  for (const [port, value] of [
    [0x20, 0x11], [0x21, 0x30], [0x21, 0x04], [0x21, 0x01],
    [0xa0, 0x11], [0xa1, 0x38], [0xa1, 0x02], [0xa1, 0x01],
  ] as const) out(port, value);
  /** Runs virtual time forward as a CPU with interrupts enabled would, collecting the vectors it takes (with EOI). */
  const run = (untilNs: number, stepNs = 50_000) => {
    const vectors: number[] = [];
    while (clock.now() < untilNs) {
      clock.advanceTo(Math.min(untilNs, clock.now() + stepNs, clock.nextEventAt()));
      while (pc.pic.pending()) {
        const v = pc.pic.acknowledge();
        vectors.push(v);
        if (v === 0x31) pc.bus.read(0x60, 1);
        if (v === 0x34) pc.bus.read(0x3f8, 1);
        if (v === 0x38) {
          out(0x70, 0x0c);
          pc.bus.read(0x71, 1);
        }
        if (v >= 0x38) out(0xa0, 0x20);
        out(0x20, 0x20);
      }
    }
    return vectors;
  };
  return { clock, pc, out, run, serial, exits };
}

describe('the PC board', () => {
  it('decodes every standard port and reads unclaimed ones as all ones', () => {
    const { pc } = setup();
    for (const port of [0x20, 0xa1, 0x40, 0x43, 0x60, 0x61, 0x64, 0x70, 0x71, 0x80, 0x92, 0xe9, 0xf4, 0x3f8, 0x3ff, 0x3d4, 0x3da, 0x4d0]) {
      expect(pc.bus.deviceAt(port), port.toString(16)).not.toBeNull();
    }
    expect(pc.bus.read(0x2f8, 1)).toBe(0xff);
    expect(pc.bus.read(0xe9, 1)).toBe(0xe9);
    const without = createPcDevices({ clock: new VirtualClock(), ramBytes: 1 << 20, debugConsole: false });
    expect(without.bus.read(0xe9, 1)).toBe(0xff);
  });

  it('delivers 100 timer interrupts per virtual second through the PIC', () => {
    const { out, run } = setup();
    out(0x43, 0x34);
    out(0x40, 11932 & 0xff);
    out(0x40, 11932 >> 8);
    // The first rising edge of OUT comes one period (10.00015 ms) after programming.
    const vectors = run(1_000_020_000);
    expect(vectors.filter((v) => v === 0x30)).toHaveLength(100);
    expect(vectors.every((v) => v === 0x30)).toBe(true);
  });

  it('delivers a typed key as IRQ1 (vector 0x31), one byte per interrupt', () => {
    const { pc, out, run } = setup();
    out(0x21, 0xfd);
    pc.keyboardController.keyboard.typeText('ls\n');
    // Three keys, a make and a break code each.
    expect(run(20 * PS2_BYTE_NS)).toEqual(Array(6).fill(0x31));
  });

  it('delivers the RTC periodic interrupt through the cascade as vector 0x38', () => {
    const { out, run } = setup();
    out(0x21, 0xfb);
    out(0xa1, 0xfe);
    out(0x70, 0x0b);
    out(0x71, 0x42);
    expect(run(10_000_000)).toEqual(Array(10).fill(0x38));
  });

  it('transmits on COM1 with a receive interrupt on IRQ4 once OUT2 is set', () => {
    const { pc, out, run, serial } = setup();
    out(0x21, 0xef);
    out(0x3f9, 0x01);
    out(0x3fc, 0x0b);
    for (const ch of 'ok') out(0x3f8, ch.charCodeAt(0));
    pc.com1.receive([0x0d]);
    expect(run(1_000_000)).toEqual([0x34]);
    expect(Buffer.from(serial).toString()).toBe('ok');
  });

  it('exits through isa-debug-exit and shows VGA text', () => {
    const { pc, exits } = setup();
    pc.vga.memory.write8(0, 'A'.charCodeAt(0));
    expect(pc.vga.cell(0, 0) & 0xff).toBe(0x41);
    pc.bus.write(0xf4, 4, 3);
    expect(exits).toEqual([7]);
  });
});
