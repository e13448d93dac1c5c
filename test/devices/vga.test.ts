import { describe, expect, it } from 'vitest';
import { IoBus } from '../../machine/bus/io-bus.ts';
import { VirtualClock } from '../../machine/clock.ts';
import { Vga } from '../../machine/devices/vga.ts';

function setup() {
  const clock = new VirtualClock();
  const bus = new IoBus();
  const vga = new Vga(clock);
  bus.attach(vga);
  const poke = (offset: number, text: string, attr: number) => {
    for (let i = 0; i < text.length; i++) {
      vga.memory.write8(offset + 2 * i, text.charCodeAt(i));
      vga.memory.write8(offset + 2 * i + 1, attr);
    }
  };
  const rowText = (row: number) =>
    Array.from({ length: vga.cols }, (_, col) => String.fromCharCode(vga.cell(row, col) & 0xff)).join('').trimEnd();
  const crtc = (index: number, value: number) => bus.write(0x3d4, 2, index | (value << 8));
  return { clock, bus, vga, poke, rowText, crtc };
}

describe('VGA text mode', () => {
  it('starts as mode 3 leaves it: 80x25 blank grey-on-black cells', () => {
    const { vga } = setup();
    expect([vga.cols, vga.rows]).toEqual([80, 25]);
    expect(vga.cell(0, 0)).toBe(0x0720);
    expect(vga.cell(24, 79)).toBe(0x0720);
    expect(vga.cursor()).toEqual({ row: 0, col: 0, visible: true });
  });

  it('shows characters and attributes written at 0xB8000 in the cells the screen reports', () => {
    const { vga, poke, rowText } = setup();
    const version = vga.version;
    poke(0, 'Hello', 0x1f);
    expect(vga.version).toBeGreaterThan(version);
    poke(160 * 24 + 2 * 75, 'world', 0x4e);
    expect(rowText(0)).toBe('Hello');
    expect(vga.cell(0, 1)).toBe(0x1f00 | 'e'.charCodeAt(0));
    expect(rowText(24).slice(75)).toBe('world');
    expect(vga.memory.read8(1)).toBe(0x1f);
    expect(() => vga.cell(25, 0)).toThrow(/no cell at row 25/);
  });

  it('moves the cursor through CRTC registers 0x0E/0x0F, also with a 16-bit out', () => {
    const { bus, vga } = setup();
    const pos = 5 * 80 + 17;
    bus.write(0x3d4, 1, 0x0f);
    bus.write(0x3d5, 1, pos & 0xff);
    bus.write(0x3d4, 1, 0x0e);
    bus.write(0x3d5, 1, pos >> 8);
    expect(vga.cursor()).toEqual({ row: 5, col: 17, visible: true });
    bus.write(0x3d4, 2, 0x0f | ((pos + 1) & 0xff) << 8);
    expect(vga.cursor().col).toBe(18);
    bus.write(0x3d4, 1, 0x0e);
    expect(bus.read(0x3d5, 1)).toBe(pos >> 8);
  });

  it('hides the cursor with the disable bit or a start line past the end line', () => {
    const { vga, crtc } = setup();
    crtc(0x0a, 0x20);
    expect(vga.cursor().visible).toBe(false);
    crtc(0x0a, 0x0e);
    crtc(0x0b, 0x0f);
    expect(vga.cursor().visible).toBe(true);
    expect(vga.cursorShape()).toEqual({ start: 14, end: 15, enabled: true });
    crtc(0x0a, 0x0f);
    crtc(0x0b, 0x0e);
    expect(vga.cursor().visible).toBe(false);
  });

  it('scrolls by the start address: row 0 shows the cell it points at, and the cursor follows', () => {
    const { vga, poke, rowText, crtc } = setup();
    poke(160 * 30, 'line thirty', 0x07);
    crtc(0x0c, (80 * 30) >> 8);
    crtc(0x0d, (80 * 30) & 0xff);
    expect(rowText(0)).toBe('line thirty');
    crtc(0x0e, (80 * 31 + 4) >> 8);
    crtc(0x0f, (80 * 31 + 4) & 0xff);
    expect(vga.cursor()).toEqual({ row: 1, col: 4, visible: true });
    // A cursor above the window is off screen.
    crtc(0x0e, 0);
    crtc(0x0f, 0);
    expect(vga.cursor().visible).toBe(false);
  });

  it('toggles retrace bits of input status 1 with virtual time', () => {
    const { clock, bus } = setup();
    const seen = new Set<number>();
    for (let t = 0; t < 15_000_000; t += 5_000) {
      clock.advanceTo(t);
      seen.add(bus.read(0x3da, 1) & 0x09);
    }
    expect(seen).toEqual(new Set([0x00, 0x01, 0x09]));
    clock.advanceTo(14_268_322 + 412 * 31_778 + 100);
    expect(bus.read(0x3da, 1) & 0x08).toBe(0x08);
  });

  it('addresses the attribute controller through its flip-flop, reset by reading 0x3DA', () => {
    const { bus, vga } = setup();
    expect(vga.blinkEnabled()).toBe(true);
    bus.write(0x3c0, 1, 0x10);
    bus.read(0x3da, 1);
    // The flip-flop is back at index: this write selects 0x30 (mode control, video enabled).
    bus.write(0x3c0, 1, 0x30);
    expect(bus.read(0x3c1, 1)).toBe(0x0c);
    bus.write(0x3c0, 1, 0x04);
    expect(vga.blinkEnabled()).toBe(false);
    expect(bus.read(0x3c0, 1)).toBe(0x30);
    // An index without the palette address source bit blanks the display until it is set again.
    expect(vga.displayEnabled()).toBe(true);
    bus.write(0x3c0, 1, 0x10);
    expect(vga.displayEnabled()).toBe(false);
    bus.write(0x3c0, 1, 0x0c);
    bus.write(0x3c0, 1, 0x20);
    expect(vga.displayEnabled()).toBe(true);
    bus.write(0x3c4, 1, 0x01);
    bus.write(0x3c5, 1, 0x20);
    expect(vga.displayEnabled()).toBe(false);
  });

  it('stores misc output, sequencer, graphics controller and DAC registers', () => {
    const { bus, vga } = setup();
    expect(bus.read(0x3cc, 1)).toBe(0x67);
    bus.write(0x3c4, 1, 0x02);
    bus.write(0x3c5, 1, 0x0f);
    expect(bus.read(0x3c5, 1)).toBe(0x0f);
    bus.write(0x3ce, 1, 0x05);
    bus.write(0x3cf, 1, 0x40);
    expect(bus.read(0x3cf, 1)).toBe(0x40);
    expect(vga.colorRgb(1)).toEqual([0, 0, 170]);
    expect(vga.colorRgb(6)).toEqual([170, 85, 0]);
    bus.write(0x3c8, 1, 0x01);
    for (const v of [63, 0, 0]) bus.write(0x3c9, 1, v);
    expect(vga.colorRgb(1)).toEqual([255, 0, 0]);
    bus.write(0x3c7, 1, 0x01);
    expect([bus.read(0x3c9, 1), bus.read(0x3c9, 1), bus.read(0x3c9, 1)]).toEqual([63, 0, 0]);
  });

  it('moves the CRTC to 0x3B4/0x3B5 when misc output selects mono addressing', () => {
    const { bus, vga } = setup();
    bus.write(0x3c2, 1, 0x66);
    bus.write(0x3d4, 1, 0x0f);
    bus.write(0x3d5, 1, 0x09);
    expect(vga.cursor().col).toBe(0);
    expect(bus.read(0x3d5, 1)).toBe(0xff);
    bus.write(0x3b4, 1, 0x0f);
    bus.write(0x3b5, 1, 0x09);
    expect(vga.cursor().col).toBe(9);
  });

  it('write-protects CRTC registers 0-7 when bit 7 of register 0x11 is set', () => {
    const { bus, vga, crtc } = setup();
    crtc(0x11, 0x8e);
    crtc(0x01, 0x20);
    expect(vga.crtc[1]).toBe(0x4f);
    crtc(0x11, 0x0e);
    crtc(0x01, 0x20);
    bus.write(0x3d4, 1, 0x01);
    expect(bus.read(0x3d5, 1)).toBe(0x20);
  });
});
