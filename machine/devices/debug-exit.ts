// QEMU's isa-debug-exit device at port 0xF4 (iosize 4): writing v asks the machine to stop with
// exit status (v << 1) | 1, as QEMU computes it; the process status a shell sees is its low 8 bits.

import type { AccessSize, PortDevice, PortRange } from '../bus/port-device.ts';

/** Port 0xF4: a write asks the machine to exit with status (v << 1) | 1. */
export class DebugExit implements PortDevice {
  readonly name = 'isa-debug-exit (0xF4)';
  readonly ports: readonly PortRange[];

  constructor(
    private readonly requestExit: (status: number) => void,
    base = 0xf4,
  ) {
    this.ports = [{ first: base, last: base, widths: [1, 2, 4] }];
  }

  read(_port: number, _size: AccessSize): number {
    // QEMU's device has no readable state; the bus floats.
    return 0xffffffff;
  }

  write(_port: number, _size: AccessSize, value: number): void {
    this.requestExit(((value << 1) | 1) >>> 0);
  }
}
