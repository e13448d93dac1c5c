// The screen tools on the emulated VGA itself, programmed through its memory and ports the way a
// guest does: what a user of `make run` and of screen snapshots sees.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../machine/clock.ts';
import { Vga } from '../../machine/devices/vga.ts';
import { renderScreen } from '../../tools/screen/png.ts';
import { formatSnapshot, parseSnapshot } from '../../tools/screen/snapshot.ts';
import { TerminalFrame } from '../../tools/screen/terminal/frame.ts';
import { Vt } from './vt.ts';

function vga(): Vga {
  return new Vga(new VirtualClock());
}

// Writes through the text window as the guest's stores to 0xB8000 + offset do.
function put(device: Vga, row: number, col: number, text: string, attr: number): void {
  Array.from(text).forEach((ch, i) => {
    const offset = (row * 80 + col + i) * 2;
    device.memory.write8(offset, ch.charCodeAt(0));
    device.memory.write8(offset + 1, attr);
  });
}

function crtc(device: Vga, index: number, value: number): void {
  device.write(0x3d4, 1, index);
  device.write(0x3d5, 1, value);
}

function pixel(image: { width: number; rgb: Uint8Array }, x: number, y: number): string {
  const p = (y * image.width + x) * 3;
  return Array.from(image.rgb.subarray(p, p + 3), (v) => v.toString(16).padStart(2, '0')).join('');
}

describe('screen tools on the emulated VGA', () => {
  it('snapshots what the guest wrote, with the CRTC cursor', () => {
    const device = vga();
    put(device, 0, 0, 'C:\\>', 0x07);
    put(device, 1, 2, 'hi', 0x1e);
    crtc(device, 0x0e, 0x00);
    crtc(device, 0x0f, 84); // row 1, column 4
    const snapshot = formatSnapshot(device);
    expect(snapshot.split('\n').slice(0, 3)).toEqual(['text 80x25, cursor at row 1 col 4', 'C:\\>', '  hi']);
    expect(snapshot.split('\n')[28]).toBe('07*2 1e*2 07*76');
    expect(formatSnapshot(parseSnapshot(snapshot))).toBe(snapshot);
  });

  it('renders 720x400 in the DAC colours, with the cursor shape from CRTC 0x0A/0x0B', () => {
    const device = vga();
    put(device, 0, 0, '\u00db', 0x06);
    let image = renderScreen(device);
    expect([image.width, image.height]).toEqual([720, 400]);
    expect(pixel(image, 0, 0)).toBe('aa5500');
    // The power-on cursor: top left, scan lines 13-14, grey on the blank second cell's colours.
    crtc(device, 0x0f, 1);
    image = renderScreen(device);
    expect(pixel(image, 9, 12)).toBe('000000');
    expect(pixel(image, 9, 13)).toBe('aaaaaa');
    expect(pixel(image, 9, 14)).toBe('aaaaaa');
    expect(pixel(image, 9, 15)).toBe('000000');
    // A block cursor, then the cursor-disable bit.
    crtc(device, 0x0a, 0x00);
    crtc(device, 0x0b, 0x0f);
    expect(pixel(renderScreen(device), 9, 0)).toBe('aaaaaa');
    crtc(device, 0x0a, 0x20);
    expect(pixel(renderScreen(device), 9, 0)).toBe('000000');
  });

  it('follows the attribute controller: blink off makes bit 7 a bright background', () => {
    const device = vga();
    put(device, 0, 0, ' ', 0xc0);
    expect(pixel(renderScreen(device), 0, 0)).toBe('aa0000');
    device.read(0x3da, 1); // reset the index/data flip-flop
    device.write(0x3c0, 1, 0x30); // mode control, palette address source on
    device.write(0x3c0, 1, 0x04); // line graphics on, blink off
    expect(pixel(renderScreen(device), 0, 0)).toBe('ff5555');
  });

  it('draws the VGA on a terminal', () => {
    const device = vga();
    put(device, 3, 5, 'ok', 0x4f);
    crtc(device, 0x0f, 3 * 80 + 7);
    const vt = new Vt(80, 26);
    vt.write(new TerminalFrame({ cols: 80, rows: 26 }).render(device));
    expect(vt.line(3).slice(5, 7)).toBe('ok');
    expect(vt.grid[3]![5]!.sgr).toBe('97;41');
    expect([vt.row, vt.col]).toEqual([3, 7]);
  });
});
