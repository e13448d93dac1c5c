// Port 0x92, System Control Port A ("fast A20"): bit 1 gates address line 20, and a 0-to-1
// transition of bit 0 resets the processor.

import type { AccessSize, PortDevice, PortRange } from '../bus/port-device.ts';
import type { A20Gate } from './a20-gate.ts';

/** Port 0x92: fast A20 and fast reset. */
export class SystemControlA implements PortDevice {
  readonly name = 'system control port A (0x92)';
  readonly ports: readonly PortRange[] = [{ first: 0x92, last: 0x92 }];
  private value = 0;

  constructor(
    private readonly a20: A20Gate,
    private readonly resetCpu: () => void,
  ) {}

  read(_port: number, _size: AccessSize): number {
    return this.value;
  }

  write(_port: number, _size: AccessSize, value: number): void {
    const rising = (value & 1) !== 0 && (this.value & 1) === 0;
    this.value = value & 0xff;
    this.a20.setPort92((value & 2) !== 0);
    if (rising) this.resetCpu();
  }
}
