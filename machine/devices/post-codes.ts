// Port 0x80, where firmware and kernels write POST codes (and Linux writes for an I/O delay).
// Codes are recorded in order; the log keeps the most recent ones so a busy guest cannot grow it
// without bound, and a read returns the last code written, as a POST card's latch does.

import type { AccessSize, PortDevice, PortRange } from '../bus/port-device.ts';

const KEEP = 4096;

/** Port 0x80: a bounded, ordered log of the codes written. */
export class PostCodes implements PortDevice {
  readonly name = 'POST code port (0x80)';
  readonly ports: readonly PortRange[] = [{ first: 0x80, last: 0x80 }];
  private readonly recent = new Uint8Array(KEEP);
  private written = 0;
  private last = 0;

  /** `listener` hears each code as it is written (benchmarks time guest phases by them). */
  constructor(private readonly listener: (code: number) => void = () => {}) {}

  /** The recorded codes, oldest first (at most the last 4096). */
  codes(): number[] {
    const first = Math.max(0, this.written - KEEP);
    return Array.from({ length: this.written - first }, (_, i) => this.recent[(first + i) % KEEP]!);
  }

  /** How many codes were written in total. */
  get count(): number {
    return this.written;
  }

  read(_port: number, _size: AccessSize): number {
    return this.last;
  }

  write(_port: number, _size: AccessSize, value: number): void {
    this.last = value & 0xff;
    this.recent[this.written % KEEP] = this.last;
    this.written++;
    this.listener(this.last);
  }
}
