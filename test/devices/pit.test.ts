import { describe, expect, it } from 'vitest';
import { IoBus } from '../../machine/bus/io-bus.ts';
import { VirtualClock } from '../../machine/clock.ts';
import { nsAtTick, PIT_HZ, ticksAt } from '../../machine/devices/pit-counter.ts';
import { Pit8254 } from '../../machine/devices/pit8254.ts';
import { SystemControlB } from '../../machine/devices/system-control-b.ts';

function setup() {
  const clock = new VirtualClock();
  const edges: { level: boolean; at: number }[] = [];
  let level = false;
  const irq0 = {
    raise: () => {
      if (!level) edges.push({ level: true, at: clock.now() });
      level = true;
    },
    lower: () => {
      if (level) edges.push({ level: false, at: clock.now() });
      level = false;
    },
  };
  const bus = new IoBus();
  const pit = new Pit8254(clock, irq0);
  bus.attach(pit);
  const port61 = new SystemControlB(clock, pit);
  bus.attach(port61);
  edges.length = 0;
  return { clock, bus, edges, speaker: port61, rises: () => edges.filter((e) => e.level).map((e) => e.at) };
}

const latch0 = (bus: IoBus) => {
  bus.write(0x43, 1, 0x00);
  return bus.read(0x40, 1) | (bus.read(0x40, 1) << 8);
};

describe('8254 PIT', () => {
  it('converts between virtual time and its 1.193182 MHz clock exactly', () => {
    expect(ticksAt(1e9)).toBe(PIT_HZ);
    expect(ticksAt(3600e9 + 1)).toBe(3600 * PIT_HZ);
    for (const k of [0, 1, 11932, 123456789, 86400 * PIT_HZ + 7]) expect(ticksAt(nsAtTick(k))).toBe(k);
    expect(ticksAt(nsAtTick(5) - 1)).toBe(4);
  });

  it('raises IRQ0 every 11932 clocks (100 Hz) in mode 2, from events alone', () => {
    const { clock, bus, rises, edges } = setup();
    bus.write(0x43, 1, 0x34);
    bus.write(0x40, 1, 11932 & 0xff);
    bus.write(0x40, 1, 11932 >> 8);
    clock.advanceTo(55_000_000);
    const r = rises();
    // OUT stays high from programming on, with a rising edge at the end of each cycle.
    expect(r).toEqual([1, 2, 3, 4, 5].map((k) => nsAtTick(1 + k * 11932)));
    expect(r[1]! - r[0]!).toBeGreaterThanOrEqual(10_000_150);
    expect(r[1]! - r[0]!).toBeLessThanOrEqual(10_000_152);
    // OUT is low for exactly one clock before each rising edge.
    const fall = edges.find((e) => !e.level)!;
    expect(fall.at).toBe(nsAtTick(11932));
  });

  it('counts down in mode 0 and raises OUT N+1 clocks after the count is written', () => {
    const { clock, bus, rises, edges } = setup();
    bus.write(0x43, 1, 0x30);
    bus.write(0x40, 1, 0xe8);
    bus.write(0x40, 1, 0x03);
    clock.advanceTo(nsAtTick(101));
    expect(latch0(bus)).toBe(900);
    expect(rises()).toEqual([]);
    clock.advanceTo(nsAtTick(2000));
    expect(rises()).toEqual([nsAtTick(1001)]);
    // After terminal count the counter wraps and keeps going.
    expect(latch0(bus)).toBe(0x10000 - 999);
    // Writing the first byte of a new count stops counting and drives OUT low at once.
    bus.write(0x40, 1, 0x10);
    expect(edges.at(-1)).toEqual({ level: false, at: nsAtTick(2000) });
    clock.advanceTo(nsAtTick(2500));
    expect(latch0(bus)).toBe(0x10000 - 999);
  });

  it('holds a latched count until it is read, ignoring a second latch', () => {
    const { clock, bus } = setup();
    bus.write(0x43, 1, 0x34);
    bus.write(0x40, 1, 0x00);
    bus.write(0x40, 1, 0x10);
    clock.advanceTo(nsAtTick(11));
    bus.write(0x43, 1, 0x00);
    clock.advanceTo(nsAtTick(500));
    bus.write(0x43, 1, 0x00);
    expect(bus.read(0x40, 1) | (bus.read(0x40, 1) << 8)).toBe(0x1000 - 10);
    expect(latch0(bus)).toBe(0x1000 - 499);
  });

  it('supports low-byte-only and high-byte-only access and BCD counting', () => {
    const { clock, bus } = setup();
    bus.write(0x43, 1, 0x10);
    bus.write(0x40, 1, 200);
    clock.advanceTo(nsAtTick(51));
    bus.write(0x43, 1, 0x00);
    expect(bus.read(0x40, 1)).toBe(150);
    bus.write(0x43, 1, 0x21 | 0x80);
    bus.write(0x42, 1, 0x12);
    const start = ticksAt(clock.now());
    clock.advanceTo(nsAtTick(start + 1 + 1));
    bus.write(0x43, 1, 0x80);
    expect(bus.read(0x42, 1)).toBe(0x11);
    clock.advanceTo(nsAtTick(start + 1 + 3));
    bus.write(0x43, 1, 0x80);
    expect(bus.read(0x42, 1)).toBe(0x11);
  });

  it('returns status through the read-back command', () => {
    const { clock, bus } = setup();
    bus.write(0x43, 1, 0xb0);
    expect(bus.read(0x43, 1)).toBe(0xff);
    bus.write(0x42, 1, 10);
    bus.write(0x42, 1, 0);
    bus.write(0x43, 1, 0xe8);
    // Mode 0, lo/hi access, OUT low, count not yet loaded.
    expect(bus.read(0x42, 1)).toBe(0x70);
    clock.advanceTo(nsAtTick(50));
    bus.write(0x43, 1, 0xc8);
    expect(bus.read(0x42, 1)).toBe(0x80 | 0x30);
    expect(bus.read(0x42, 1) | (bus.read(0x42, 1) << 8)).toBe(0x10000 - 39);
  });

  it('applies a new mode 2 count at the end of the current cycle', () => {
    const { clock, bus, rises } = setup();
    bus.write(0x43, 1, 0x34);
    bus.write(0x40, 1, 100);
    bus.write(0x40, 1, 0);
    clock.advanceTo(nsAtTick(150));
    bus.write(0x40, 1, 40);
    bus.write(0x40, 1, 0);
    clock.advanceTo(nsAtTick(400));
    expect(rises()).toEqual([101, 201, 241, 281, 321, 361].map(nsAtTick));
  });

  it('applies a new mode 3 count at the end of the current half cycle', () => {
    const { clock, bus, edges } = setup();
    bus.write(0x43, 1, 0x36);
    bus.write(0x40, 1, 100);
    bus.write(0x40, 1, 0);
    clock.advanceTo(nsAtTick(31));
    bus.write(0x40, 1, 40);
    bus.write(0x40, 1, 0);
    clock.advanceTo(nsAtTick(150));
    // Old high half ends at 51; then the new count: 20 low, 20 high, ...
    expect(edges).toEqual(
      [
        [false, 51],
        [true, 71],
        [false, 91],
        [true, 111],
        [false, 131],
      ].map(([level, tick]) => ({ level, at: nsAtTick(tick as number) })),
    );
  });

  it('gates counter 2 from port 0x61 and shows its square wave on bit 5', () => {
    const { clock, bus, speaker } = setup();
    bus.write(0x43, 1, 0xb6);
    bus.write(0x42, 1, 100);
    bus.write(0x42, 1, 0);
    expect(speaker.speakerOn()).toBe(false);
    bus.write(0x61, 1, 0x03);
    expect(speaker.speakerOn()).toBe(true);
    const start = ticksAt(clock.now()) + 1;
    const out = (tick: number) => (clock.advanceTo(nsAtTick(tick)), (bus.read(0x61, 1) >> 5) & 1);
    expect(out(start + 10)).toBe(1);
    expect(out(start + 49)).toBe(1);
    expect(out(start + 50)).toBe(0);
    expect(out(start + 99)).toBe(0);
    expect(out(start + 100)).toBe(1);
    expect(bus.read(0x61, 1) & 0x0f).toBe(0x03);
    // Gate low: OUT high and the count frozen; gate high again restarts the cycle a clock later.
    const count2 = () => (bus.write(0x43, 1, 0x80), bus.read(0x42, 1) | (bus.read(0x42, 1) << 8));
    out(start + 170);
    bus.write(0x61, 1, 0x02);
    const frozen = count2();
    expect(out(start + 190)).toBe(1);
    expect(count2()).toBe(frozen);
    bus.write(0x61, 1, 0x03);
    const restart = ticksAt(clock.now()) + 1;
    expect(out(restart + 49)).toBe(1);
    expect(out(restart + 50)).toBe(0);
  });

  it('polls counter 2 in mode 0 as Linux calibrates the TSC: OUT rises after the count', () => {
    const { clock, bus } = setup();
    bus.write(0x61, 1, (bus.read(0x61, 1) & ~0x02) | 0x01);
    bus.write(0x43, 1, 0xb0);
    bus.write(0x42, 1, 0xff);
    bus.write(0x42, 1, 0xff);
    const written = ticksAt(clock.now());
    let polls = 0;
    while ((bus.read(0x61, 1) & 0x20) === 0) {
      clock.advanceTo(clock.now() + 1000);
      polls++;
    }
    expect(ticksAt(clock.now())).toBeGreaterThanOrEqual(written + 0xffff + 1);
    expect(polls).toBeGreaterThan(50_000);
  });

  it('strobes OUT low for one clock after the count in mode 4', () => {
    const { clock, bus, edges } = setup();
    bus.write(0x43, 1, 0x38);
    bus.write(0x40, 1, 50);
    bus.write(0x40, 1, 0);
    clock.advanceTo(nsAtTick(1000));
    expect(edges).toEqual([
      { level: false, at: nsAtTick(51) },
      { level: true, at: nsAtTick(52) },
    ]);
  });

  it('starts the one-shot (mode 1) and strobe (mode 5) of counter 2 on a rising gate', () => {
    const { clock, bus } = setup();
    const out2 = () => (bus.read(0x61, 1) >> 5) & 1;
    bus.write(0x61, 1, 0x00);
    bus.write(0x43, 1, 0xb2);
    bus.write(0x42, 1, 20);
    bus.write(0x42, 1, 0);
    clock.advanceTo(nsAtTick(100));
    expect(out2()).toBe(1);
    bus.write(0x61, 1, 0x01);
    clock.advanceTo(nsAtTick(102));
    expect(out2()).toBe(0);
    clock.advanceTo(nsAtTick(120));
    expect(out2()).toBe(0);
    clock.advanceTo(nsAtTick(121));
    expect(out2()).toBe(1);
    bus.write(0x61, 1, 0x00);
    bus.write(0x43, 1, 0xba);
    bus.write(0x42, 1, 10);
    bus.write(0x42, 1, 0);
    bus.write(0x61, 1, 0x01);
    const t = ticksAt(clock.now()) + 1;
    clock.advanceTo(nsAtTick(t + 9));
    expect(out2()).toBe(1);
    clock.advanceTo(nsAtTick(t + 10));
    expect(out2()).toBe(0);
    clock.advanceTo(nsAtTick(t + 11));
    expect(out2()).toBe(1);
  });

  it('toggles the refresh bit 4 of port 0x61 every 15 us', () => {
    const { clock, bus } = setup();
    const first = bus.read(0x61, 1) & 0x10;
    clock.advanceTo(15_100);
    expect(bus.read(0x61, 1) & 0x10).not.toBe(first);
  });
});
