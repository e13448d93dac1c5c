// Port 0x61, System Control Port B of the AT: counter 2's gate and speaker enable (writable bits
// 0-3), the refresh toggle (bit 4) that BIOS-style delay loops poll, and counter 2's OUT (bit 5).

import type { Clock } from '../interfaces.ts';
import type { AccessSize, PortDevice, PortRange } from '../bus/port-device.ts';

/** Counter 2 of the PIT as port 0x61 sees it. */
export interface SpeakerTimer {
  setGate2(high: boolean): void;
  out2(): boolean;
}

/** The refresh request toggles every 15.085 us (18 PIT clocks): bit 4 flips at each one. */
const REFRESH_NS = 15_085;

/** Port 0x61: speaker gate and data, refresh toggle, counter 2 output. */
export class SystemControlB implements PortDevice {
  readonly name = 'system control port B';
  readonly ports: readonly PortRange[] = [{ first: 0x61, last: 0x61 }];
  private control = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timer: SpeakerTimer,
  ) {}

  /** Whether the speaker is connected to counter 2's output (bits 0 and 1 both set). */
  speakerOn(): boolean {
    return (this.control & 3) === 3;
  }

  read(_port: number, _size: AccessSize): number {
    const refresh = Math.floor(this.clock.now() / REFRESH_NS) & 1;
    return (this.control & 0x0f) | (refresh << 4) | (this.timer.out2() ? 0x20 : 0);
  }

  write(_port: number, _size: AccessSize, value: number): void {
    this.control = value & 0x0f;
    this.timer.setGate2((value & 1) !== 0);
  }
}
