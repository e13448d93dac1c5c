// The Bochs/QEMU debug console at port 0xE9: every byte written goes to the host, and a read
// returns 0xE9 so guests can detect that the port exists.

import type { AccessSize, PortDevice, PortRange } from '../bus/port-device.ts';

/** Port 0xE9: guest bytes out to the host. */
export class DebugConsole implements PortDevice {
  readonly name = 'debug console (0xE9)';
  readonly ports: readonly PortRange[] = [{ first: 0xe9, last: 0xe9 }];

  constructor(private readonly sink: (byte: number) => void) {}

  read(_port: number, _size: AccessSize): number {
    return 0xe9;
  }

  write(_port: number, _size: AccessSize, value: number): void {
    this.sink(value & 0xff);
  }
}
