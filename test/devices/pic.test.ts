import { describe, expect, it } from 'vitest';
import { IoBus } from '../../machine/bus/io-bus.ts';
import { PicPair } from '../../machine/devices/pic-pair.ts';

/** A bus with the PIC pair initialised the way Linux and xv6 do: vectors 0x20 and 0x28, 8086 mode. */
function setup(icw4 = 0x01) {
  const bus = new IoBus();
  const pic = new PicPair();
  bus.attach(pic);
  bus.write(0x20, 1, 0x11);
  bus.write(0x21, 1, 0x20);
  bus.write(0x21, 1, 0x04);
  bus.write(0x21, 1, icw4);
  bus.write(0xa0, 1, 0x11);
  bus.write(0xa1, 1, 0x28);
  bus.write(0xa1, 1, 0x02);
  bus.write(0xa1, 1, icw4);
  return { bus, pic };
}

const readIrr = (bus: IoBus, port: number) => (bus.write(port, 1, 0x0a), bus.read(port, 1));
const readIsr = (bus: IoBus, port: number) => (bus.write(port, 1, 0x0b), bus.read(port, 1));

describe('8259A PIC pair', () => {
  it('initialises with ICW1-4: unmasked, nothing pending, vectors from ICW2', () => {
    const { bus, pic } = setup();
    expect(bus.read(0x21, 1)).toBe(0x00);
    expect(pic.pending()).toBe(false);
    pic.line(1).raise();
    expect(pic.pending()).toBe(true);
    expect(pic.acknowledge()).toBe(0x21);
    expect(readIsr(bus, 0x20)).toBe(0x02);
  });

  it('runs xv6\'s initialisation: auto-EOI, special mask mode, IRR reads by default', () => {
    const bus = new IoBus();
    const pic = new PicPair();
    bus.attach(pic);
    bus.write(0x21, 1, 0xff);
    bus.write(0xa1, 1, 0xff);
    for (const [cmd, data, base, cascade] of [
      [0x20, 0x21, 32, 1 << 2],
      [0xa0, 0xa1, 40, 2],
    ] as const) {
      bus.write(cmd, 1, 0x11);
      bus.write(data, 1, base);
      bus.write(data, 1, cascade);
      bus.write(data, 1, 0x03);
    }
    bus.write(0x20, 1, 0x68);
    bus.write(0x20, 1, 0x0a);
    bus.write(0xa0, 1, 0x68);
    bus.write(0xa0, 1, 0x0a);
    bus.write(0x21, 1, 0xff & ~(1 << 2) & ~(1 << 1));
    bus.write(0xa1, 1, 0xff & ~(1 << 6));
    pic.line(1).raise();
    expect(bus.read(0x20, 1)).toBe(0x02);
    expect(pic.acknowledge()).toBe(33);
    pic.line(14).raise();
    expect(pic.acknowledge()).toBe(46);
    expect(readIsr(bus, 0x20) | readIsr(bus, 0xa0)).toBe(0);
    // A masked line requests nothing.
    pic.line(3).raise();
    expect(pic.pending()).toBe(false);
  });

  it('resolves fixed priority: IRQ0 beats IRQ3, and an in-service level blocks lower ones until EOI', () => {
    const { bus, pic } = setup();
    pic.line(3).raise();
    pic.line(0).raise();
    expect(readIrr(bus, 0x20)).toBe(0x09);
    expect(pic.acknowledge()).toBe(0x20);
    expect(pic.pending()).toBe(false);
    bus.write(0x20, 1, 0x20);
    expect(pic.pending()).toBe(true);
    expect(pic.acknowledge()).toBe(0x23);
    // A higher-priority request may nest inside IRQ3's service.
    pic.line(0).lower();
    pic.line(0).raise();
    expect(pic.acknowledge()).toBe(0x20);
    expect(readIsr(bus, 0x20)).toBe(0x09);
    // Non-specific EOI ends the highest in service (IRQ0), specific EOI 3 ends IRQ3.
    bus.write(0x20, 1, 0x20);
    expect(readIsr(bus, 0x20)).toBe(0x08);
    bus.write(0x20, 1, 0x63);
    expect(readIsr(bus, 0x20)).toBe(0x00);
  });

  it('masks through OCW1 without losing the request', () => {
    const { bus, pic } = setup();
    bus.write(0x21, 1, 0xfe & ~0x10);
    bus.write(0x21, 1, 0x02);
    pic.line(1).raise();
    expect(pic.pending()).toBe(false);
    expect(readIrr(bus, 0x20)).toBe(0x02);
    bus.write(0x21, 1, 0x00);
    expect(pic.acknowledge()).toBe(0x21);
  });

  it('latches edges: a line held high does not request again after EOI', () => {
    const { bus, pic } = setup();
    pic.line(4).raise();
    expect(pic.acknowledge()).toBe(0x24);
    bus.write(0x20, 1, 0x20);
    expect(pic.pending()).toBe(false);
    pic.line(4).lower();
    pic.line(4).raise();
    expect(pic.acknowledge()).toBe(0x24);
  });

  it('delivers a spurious IRQ7 with no ISR bit when the request goes away before INTA', () => {
    const { bus, pic } = setup();
    pic.line(5).raise();
    expect(pic.pending()).toBe(true);
    pic.line(5).lower();
    expect(pic.acknowledge()).toBe(0x27);
    expect(readIsr(bus, 0x20)).toBe(0x00);
  });

  it('cascades the slave through IR2: IRQ12 gives vector 0x2C and needs EOI on both chips', () => {
    const { bus, pic } = setup();
    pic.line(12).raise();
    expect(pic.pending()).toBe(true);
    expect(pic.acknowledge()).toBe(0x2c);
    expect(readIsr(bus, 0x20)).toBe(0x04);
    expect(readIsr(bus, 0xa0)).toBe(0x10);
    bus.write(0xa0, 1, 0x20);
    bus.write(0x20, 1, 0x20);
    expect(readIsr(bus, 0x20)).toBe(0x00);
    expect(readIsr(bus, 0xa0)).toBe(0x00);
  });

  it('answers with spurious IRQ15 when the master selected IR2 but the slave has no request left', () => {
    const { bus, pic } = setup();
    pic.line(9).raise();
    pic.line(9).lower();
    // The slave's INT followed its request down, so the master has nothing either...
    expect(pic.pending()).toBe(false);
    // ...unless the master latched IR2 during the slave's glitch, as the first INTA pulse does.
    pic.master.setLine(2, true);
    expect(pic.pending()).toBe(true);
    expect(pic.acknowledge()).toBe(0x2f);
    expect(readIsr(bus, 0x20)).toBe(0x04);
    expect(readIsr(bus, 0xa0)).toBe(0x00);
  });

  it('ends interrupts by itself in auto-EOI mode', () => {
    const { bus, pic } = setup(0x03);
    pic.line(0).raise();
    expect(pic.acknowledge()).toBe(0x20);
    expect(readIsr(bus, 0x20)).toBe(0x00);
    pic.line(3).raise();
    expect(pic.acknowledge()).toBe(0x23);
  });

  it('answers the poll command with the highest request and acknowledges it', () => {
    const { bus, pic } = setup();
    pic.line(6).raise();
    bus.write(0x20, 1, 0x0c);
    expect(bus.read(0x20, 1)).toBe(0x86);
    expect(readIsr(bus, 0x20)).toBe(0x40);
  });

  it('rotates priority on a rotate-on-non-specific-EOI command', () => {
    const { bus, pic } = setup();
    pic.line(0).raise();
    expect(pic.acknowledge()).toBe(0x20);
    bus.write(0x20, 1, 0xa0);
    // IRQ0 is now lowest: IRQ1 wins over a new IRQ0.
    pic.line(0).lower();
    pic.line(0).raise();
    pic.line(1).raise();
    expect(pic.acknowledge()).toBe(0x21);
  });

  it('makes lines level-triggered through the ELCR, except the hard-wired edge ones', () => {
    const { bus, pic } = setup();
    bus.write(0x4d1, 1, 0xff);
    expect(bus.read(0x4d1, 1)).toBe(0xde);
    pic.line(11).raise();
    expect(pic.acknowledge()).toBe(0x2b);
    bus.write(0xa0, 1, 0x20);
    bus.write(0x20, 1, 0x20);
    // Still high: a level-triggered line requests again.
    expect(pic.acknowledge()).toBe(0x2b);
  });

  it('routes an ISA device on IRQ2 to IRQ9, as the AT does, and refuses IRQs beyond 15', () => {
    const { pic } = setup();
    pic.line(2).raise();
    expect(pic.acknowledge()).toBe(0x29);
    expect(() => pic.line(16)).toThrow(/no IRQ 16/);
  });
});
