import { describe, expect, it } from 'vitest';
import { IoBus } from '../../machine/bus/io-bus.ts';
import { VirtualClock } from '../../machine/clock.ts';
import { CmosRtc, DEFAULT_START, type CalendarTime } from '../../machine/devices/cmos-rtc.ts';

function setup(start?: CalendarTime, ramBytes = 32 * 2 ** 20) {
  const clock = new VirtualClock();
  const bus = new IoBus();
  const irq = { level: false, raises: 0 };
  const rtc = new CmosRtc({
    clock,
    irq8: { raise: () => ((irq.level = true), irq.raises++), lower: () => (irq.level = false) },
    ramBytes,
    ...(start ? { start } : {}),
  });
  bus.attach(rtc);
  const cmos = (index: number) => (bus.write(0x70, 1, index), bus.read(0x71, 1));
  const setCmos = (index: number, value: number) => (bus.write(0x70, 1, index), bus.write(0x71, 1, value));
  return { clock, bus, rtc, irq, cmos, setCmos };
}

describe('CMOS RTC', () => {
  it('starts at the configured epoch, in BCD and 24-hour mode by default', () => {
    const { cmos } = setup();
    expect([0, 2, 4, 7, 8, 9, 0x32].map(cmos)).toEqual([0x00, 0x00, 0x00, 0x01, 0x01, 0x26, 0x20]);
    // 2026-01-01 is a Thursday: weekday 5 counting Sunday as 1.
    expect(cmos(6)).toBe(new Date(Date.UTC(2026, 0, 1)).getUTCDay() + 1);
    expect(cmos(0x0d)).toBe(0x80);
  });

  it('shows binary values and 12-hour time per status B bits 2 and 1', () => {
    const { cmos, setCmos } = setup({ year: 2031, month: 7, day: 19, hour: 13, minute: 45, second: 30 });
    expect([cmos(0), cmos(2), cmos(4)]).toEqual([0x30, 0x45, 0x13]);
    setCmos(0x0b, 0x06);
    expect([cmos(0), cmos(2), cmos(4), cmos(9), cmos(0x32)]).toEqual([30, 45, 13, 31, 20]);
    setCmos(0x0b, 0x04);
    expect(cmos(4)).toBe(0x80 | 1);
    setCmos(0x0b, 0x00);
    expect(cmos(4)).toBe(0x81);
  });

  it('advances with virtual time, carrying into the next year and weekday', () => {
    const { clock, rtc, cmos } = setup({ year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 58 });
    clock.advanceTo(1.5e9);
    expect(cmos(0)).toBe(0x59);
    clock.advanceTo(2.5e9);
    expect(rtc.now()).toEqual({ year: 2027, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
    expect(cmos(6)).toBe(new Date(Date.UTC(2027, 0, 1)).getUTCDay() + 1);
  });

  it('carries the year into the century byte and follows the Gregorian leap years', () => {
    const { clock, rtc, cmos } = setup({ year: 2099, month: 12, day: 31, hour: 23, minute: 59, second: 59 });
    clock.advanceTo(1e9);
    expect([cmos(9), cmos(0x32)]).toEqual([0x00, 0x21]);
    expect(rtc.now().year).toBe(2100);
    const leap = setup({ year: 2028, month: 2, day: 28, hour: 23, minute: 59, second: 59 });
    leap.clock.advanceTo(1e9);
    expect([leap.cmos(8), leap.cmos(7)]).toEqual([0x02, 0x29]);
  });

  it('sets UIP 2228 us before each update, and never while SET is on', () => {
    const { clock, cmos, setCmos } = setup();
    clock.advanceTo(1e9 - 2_229_000);
    expect(cmos(0x0a) & 0x80).toBe(0);
    clock.advanceTo(1e9 - 2_000_000);
    expect(cmos(0x0a) & 0x80).toBe(0x80);
    expect(cmos(0)).toBe(0x00);
    clock.advanceTo(1e9);
    expect(cmos(0x0a) & 0x80).toBe(0);
    expect(cmos(0)).toBe(0x01);
    clock.advanceTo(2e9 - 1_000_000);
    setCmos(0x0b, 0x82);
    expect(cmos(0x0a) & 0x80).toBe(0);
  });

  it('lets the guest set the time with SET, which holds the clock until cleared', () => {
    const { clock, cmos, setCmos } = setup();
    setCmos(0x0b, 0x82);
    setCmos(0x04, 0x17);
    setCmos(0x02, 0x30);
    clock.advanceTo(3e9);
    expect([cmos(4), cmos(2), cmos(0)]).toEqual([0x17, 0x30, 0x00]);
    setCmos(0x0b, 0x02);
    clock.advanceTo(4e9);
    expect(cmos(0)).toBe(0x01);
  });

  it('flags updates in register C, which reading clears, and interrupts on IRQ8 with UIE', () => {
    const { clock, irq, cmos, setCmos } = setup();
    clock.advanceTo(1.2e9);
    // The periodic flag is set too: flags rise whether or not their interrupt is enabled.
    expect(cmos(0x0c)).toBe(0x50);
    expect(cmos(0x0c)).toBe(0x00);
    setCmos(0x0b, 0x12);
    clock.advanceTo(1.9e9);
    expect(irq.level).toBe(false);
    clock.advanceTo(2e9);
    expect(irq.level).toBe(true);
    expect(cmos(0x0c) & 0xb0).toBe(0x90);
    expect(irq.level).toBe(false);
    clock.advanceTo(3e9);
    expect(irq.raises).toBe(2);
  });

  it('raises the periodic interrupt at the rate in status A (1024 Hz by default)', () => {
    const { clock, irq, cmos, setCmos } = setup();
    setCmos(0x0b, 0x42);
    const times: number[] = [];
    for (let t = 0; t <= 10e6; t += 10_000) {
      clock.advanceTo(t);
      if (irq.level) {
        times.push(clock.now());
        expect(cmos(0x0c) & 0xc0).toBe(0xc0);
      }
    }
    expect(times.length).toBe(10);
    // 2 Hz with rate 15.
    setCmos(0x0a, 0x2f);
    cmos(0x0c);
    const before = irq.raises;
    clock.advanceTo(clock.now() + 1.01e9);
    cmos(0x0c);
    clock.advanceTo(clock.now() + 0.5e9);
    expect(irq.raises - before).toBe(2);
  });

  it('fires the alarm when time matches, with 0xC0-0xFF as "any"', () => {
    const { clock, irq, cmos, setCmos } = setup();
    setCmos(0x01, 0x05);
    setCmos(0x03, 0xff);
    setCmos(0x05, 0xc0);
    setCmos(0x0b, 0x22);
    clock.advanceTo(4.9e9);
    expect(irq.level).toBe(false);
    clock.advanceTo(5e9);
    expect(irq.level).toBe(true);
    expect(cmos(0x0c) & 0xa0).toBe(0xa0);
  });

  it('keeps the NMI mask from bit 7 of port 0x70 and exposes plain CMOS RAM', () => {
    const { bus, rtc, cmos, setCmos } = setup();
    bus.write(0x70, 1, 0x80 | 0x40);
    expect(rtc.nmiMasked).toBe(true);
    bus.write(0x71, 1, 0x5a);
    expect(cmos(0x40)).toBe(0x5a);
    expect(rtc.nmiMasked).toBe(false);
    setCmos(0x7f, 1);
    expect(cmos(0x7f)).toBe(1);
    expect(bus.read(0x70, 1)).toBe(0xff);
  });

  it('refuses an impossible start date or RAM size with a message naming it', () => {
    expect(() => setup({ ...DEFAULT_START, month: 2, day: 30 })).toThrow(/2026-2 has no day 30/);
    expect(() => setup({ ...DEFAULT_START, hour: 24 })).toThrow(/start hour must be an integer from 0 to 23, not 24/);
    expect(() => setup(undefined, -1)).toThrow(/RAM size/);
  });

  it('reports the memory size in the standard CMOS bytes, with a valid checksum', () => {
    const { cmos } = setup(undefined, 32 * 2 ** 20);
    const word = (lo: number) => cmos(lo) | (cmos(lo + 1) << 8);
    expect(word(0x15)).toBe(640);
    expect(word(0x17)).toBe(31 * 1024);
    expect(word(0x30)).toBe(31 * 1024);
    expect(word(0x34)).toBe(256);
    let sum = 0;
    for (let i = 0x10; i <= 0x2d; i++) sum += cmos(i);
    expect((cmos(0x2e) << 8) | cmos(0x2f)).toBe(sum);
    const big = setup(undefined, 2 ** 30).cmos;
    expect(big(0x17) | (big(0x18) << 8)).toBe(0xffff);
  });
});
