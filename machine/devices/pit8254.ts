// The Intel 8254 programmable interval timer at ports 0x40-0x43, clocked at 1.193182 MHz.
// Counter 0 drives IRQ0: the timer schedules a clock event at each change of its OUT pin, so no
// work is done per instruction. Counter 1 is the (unwired) DRAM refresh counter. Counter 2's gate
// and output are reached through port 0x61 (see system-control-b.ts).

import type { Clock, IrqLine, Timer } from '../interfaces.ts';
import type { AccessSize, PortDevice, PortRange } from '../bus/port-device.ts';
import { PitCounter, nsAtTick, ticksAt } from './pit-counter.ts';

/** The three-counter timer; counter 0 drives IRQ0 through clock events. */
export class Pit8254 implements PortDevice {
  readonly name = '8254 PIT';
  readonly ports: readonly PortRange[] = [{ first: 0x40, last: 0x43 }];
  readonly counters = [new PitCounter(), new PitCounter(), new PitCounter()] as const;
  private irq0Timer: Timer | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly irq0: IrqLine,
  ) {
    // As a PC BIOS leaves it: counter 0 in mode 3 with count 65536 (18.2 Hz), counter 1 in mode 2
    // with count 18 (the 15 us refresh request).
    const tick = this.tick();
    this.counters[0].program(3, 3, false);
    this.counters[0].writeByte(tick, 0);
    this.counters[0].writeByte(tick, 0);
    this.counters[1].program(1, 2, false);
    this.counters[1].writeByte(tick, 18);
    this.scheduleIrq0();
  }

  read(port: number, _size: AccessSize): number {
    // The control word register cannot be read: the data bus floats.
    if (port === 0x43) return 0xff;
    return this.counters[port - 0x40]!.readByte(this.tick());
  }

  write(port: number, _size: AccessSize, value: number): void {
    const tick = this.tick();
    if (port !== 0x43) {
      this.counters[port - 0x40]!.writeByte(tick, value);
      if (port === 0x40) this.scheduleIrq0();
      return;
    }
    const select = value >> 6;
    if (select === 3) {
      this.readBack(tick, value);
      return;
    }
    const counter = this.counters[select]!;
    const access = (value >> 4) & 3;
    if (access === 0) {
      counter.latchCount(tick);
      return;
    }
    counter.program(access, (value >> 1) & 7, (value & 1) !== 0);
    if (select === 0) this.scheduleIrq0();
  }

  /** Counter 2's GATE (port 0x61 bit 0). */
  setGate2(high: boolean): void {
    this.counters[2].setGate(this.tick(), high);
  }

  /** Counter 2's OUT (port 0x61 bit 5). */
  out2(): boolean {
    return this.counters[2].out(this.tick());
  }

  private readBack(tick: number, value: number): void {
    for (let i = 0; i < 3; i++) {
      if ((value & (2 << i)) === 0) continue;
      const counter = this.counters[i]!;
      if ((value & 0x20) === 0) counter.latchCount(tick);
      if ((value & 0x10) === 0) counter.latchStatus(tick);
    }
  }

  private tick(): number {
    return ticksAt(this.clock.now());
  }

  /** Drives IRQ0 from counter 0's OUT now and schedules the next change of OUT. */
  private scheduleIrq0(): void {
    this.irq0Timer?.cancel();
    this.irq0Timer = null;
    this.driveIrq0(this.tick());
  }

  private driveIrq0(tick: number): void {
    const counter = this.counters[0];
    if (counter.out(tick)) this.irq0.raise();
    else this.irq0.lower();
    const edge = counter.nextEdge(tick);
    if (edge !== Infinity) {
      this.irq0Timer = this.clock.at(nsAtTick(edge), () => this.driveIrq0(edge));
    }
  }
}
