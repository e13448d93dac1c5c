// The 8254 timer's channel 0 as the scheduler's clock: a rate generator on IRQ 0.
import type { PortIo } from '../../../../machine/interfaces.ts';

/** The PIT's input clock. */
export const PIT_HZ = 1_193_182;

/** Programs channel 0 in mode 2 (rate generator) at `hz`; returns the divisor used. */
export function startPit(io: PortIo, hz: number): number {
  const divisor = Math.round(PIT_HZ / hz);
  io.write(0x43, 1, 0x34); // channel 0, low byte then high byte, mode 2, binary
  io.write(0x40, 1, divisor & 0xff);
  io.write(0x40, 1, divisor >>> 8);
  return divisor;
}
