import { describe, expect, it } from 'vitest';
import type { MmioRegion } from '../../machine/interfaces.ts';
import { PhysicalMemory } from '../../machine/memory/physical.ts';
import { bare } from './harness.ts';

describe('physical memory', () => {
  it('rejects RAM sizes that are not whole pages or too large, with a clear message', () => {
    expect(() => new PhysicalMemory({ ramSize: 1000 })).toThrow(/multiple of 4096/);
    expect(() => new PhysicalMemory({ ramSize: 2 ** 31 })).toThrow(/up to/);
  });

  it('reads unmapped space as all ones and ignores writes to it and to ROM', () => {
    const mem = new PhysicalMemory({ ramSize: 1 << 20 });
    expect(mem.read32(0x200000)).toBe(-1);
    mem.write8(0x200000, 1);
    expect(mem.read8(0x200000)).toBe(0xff);
    const bios = new Uint8Array(0x10000).fill(0x90);
    bios[0xfff0] = 0xea;
    mem.mapBios(bios);
    expect(mem.read8(0xffff0)).toBe(0xea);
    expect(mem.read8(0xfffffff0)).toBe(0xea);
    mem.write8(0xffff0, 0);
    expect(mem.read8(0xffff0)).toBe(0xea);
  });

  it('sends device-window accesses to the device with window-relative offsets', () => {
    const mem = new PhysicalMemory({ ramSize: 1 << 20 });
    const cells = new Uint8Array(0x8000);
    const vga: MmioRegion = { read8: (o) => cells[o], write8: (o, v) => (cells[o] = v) };
    mem.mapMmio(0xb8000, 0x8000, vga);
    mem.write16(0xb8000, 0x0741);
    expect(cells[0]).toBe(0x41);
    expect(cells[1]).toBe(0x07);
    expect(mem.read16(0xb8000)).toBe(0x0741);
  });

  it('the CPU writes the VGA window through the device, also with rep stosw', () => {
    const t = bare('mov edi, 0xb8000\nmov ax, 0x0720\nmov ecx, 80\nrep stosw\nmov word [0xb8000], 0x1f48\nhlt');
    const cells = new Uint8Array(0x8000);
    t.mem.mapMmio(0xb8000, 0x8000, { read8: (o) => cells[o], write8: (o, v) => (cells[o] = v) });
    expect(t.run()).toBe('hlt');
    expect(cells[0]).toBe(0x48);
    expect(cells[1]).toBe(0x1f);
    expect(cells[158]).toBe(0x20);
    expect(cells[160]).toBe(0);
  });

  it('with A20 disabled, FFFF:0010 wraps to physical 0; enabling it reaches the second MiB', () => {
    const t = bare(`
      mov ax, 0xffff
      mov es, ax
      mov al, [es:0x10]
      hlt
      mov bl, [es:0x10]
      hlt`, { mode: 'real' });
    t.mem.write8(0, 0x11);
    t.mem.write8(0x100000, 0x22);
    t.mem.setA20(false);
    expect(t.run()).toBe('hlt');
    expect(t.cpu.r8[0]).toBe(0x11);
    t.mem.setA20(true);
    t.cpu.halted = false;
    expect(t.run()).toBe('hlt');
    expect(t.cpu.r8[12]).toBe(0x22);
  });
});
