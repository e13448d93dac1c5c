import { describe, expect, it } from 'vitest';
import { IoBus } from '../../machine/bus/io-bus.ts';
import type { AccessSize, PortDevice } from '../../machine/bus/port-device.ts';

function recorder(name: string, first: number, last: number, widths?: AccessSize[]) {
  const log: string[] = [];
  const device: PortDevice = {
    name,
    ports: [{ first, last, ...(widths ? { widths } : {}) }],
    read: (port, size) => {
      log.push(`r${size}@${port.toString(16)}`);
      return port & 0xff;
    },
    write: (port, size, value) => {
      log.push(`w${size}@${port.toString(16)}=${value.toString(16)}`);
    },
  };
  return { device, log };
}

describe('I/O bus', () => {
  it('refuses overlapping ranges at attach time, naming both devices', () => {
    const bus = new IoBus();
    bus.attach(recorder('keyboard controller', 0x60, 0x64).device);
    expect(() => bus.attach(recorder('rogue card', 0x64, 0x65).device)).toThrow(
      /rogue card wants port 0x0064, which keyboard controller already decodes/,
    );
    // Nothing of the refused device was attached.
    expect(bus.deviceAt(0x65)).toBeNull();
  });

  it('reads unmapped ports as all ones and counts ignored writes', () => {
    const bus = new IoBus();
    expect(bus.read(0x1234, 1)).toBe(0xff);
    expect(bus.read(0x1234, 2)).toBe(0xffff);
    expect(bus.read(0x1234, 4)).toBe(0xffffffff);
    bus.write(0x300, 1, 5);
    bus.write(0x300, 2, 5);
    expect(bus.unmappedWrites).toBe(3);
    expect(bus.unmappedReads).toBe(7);
    expect(bus.recentUnmappedAccesses().at(-1)).toEqual({ port: 0x301, size: 1, kind: 'write' });
  });

  it('splits wide accesses to a byte-only device into byte cycles, low byte first', () => {
    const bus = new IoBus();
    const { device, log } = recorder('crtc', 0x3d4, 0x3d5);
    bus.attach(device);
    bus.write(0x3d4, 2, 0x0e0f);
    expect(log).toEqual(['w1@3d4=f', 'w1@3d5=e']);
    expect(bus.read(0x3d4, 2)).toBe(0xd5d4);
    // The half outside the device reads as ones.
    expect(bus.read(0x3d5, 2)).toBe(0xffd5);
  });

  it('gives a device the whole access at a width it declares', () => {
    const bus = new IoBus();
    const { device, log } = recorder('exit', 0xf4, 0xf4, [1, 2, 4]);
    bus.attach(device);
    bus.write(0xf4, 4, 0x12345678);
    expect(log).toEqual(['w4@f4=12345678']);
  });
});
