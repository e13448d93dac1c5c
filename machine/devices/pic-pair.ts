// The AT's two cascaded 8259As: the master at 0x20/0x21 with the slave's INT wired to its IR2,
// the slave at 0xA0/0xA1 (IRQ 8-15), and the edge/level control registers at 0x4D0/0x4D1. To the
// CPU it is an InterruptSource; to devices it hands out one IrqLine per IRQ.

import type { InterruptSource, IrqLine } from '../interfaces.ts';
import type { AccessSize, PortDevice, PortRange } from '../bus/port-device.ts';
import { Pic8259 } from './pic8259.ts';

const CASCADE_IR = 2;
/** ELCR bits that are hard-wired to edge mode: IRQ 0, 1, 2 and 8, 13 (timer, keyboard, cascade, RTC, FPU). */
const ELCR_WRITABLE = [0xf8, 0xde] as const;

/** The cascaded master/slave 8259A pair as the CPU and the devices see it. */
export class PicPair implements InterruptSource, PortDevice {
  readonly name = '8259A PIC pair';
  readonly ports: readonly PortRange[] = [
    { first: 0x20, last: 0x21 },
    { first: 0xa0, last: 0xa1 },
    { first: 0x4d0, last: 0x4d1 },
  ];
  readonly master: Pic8259;
  readonly slave: Pic8259;
  private intr = false;
  private readonly irqLines: IrqLine[] = [];

  constructor() {
    this.master = new Pic8259(true, () => this.update());
    this.slave = new Pic8259(false, () => this.slaveChanged());
    // No BIOS runs before the guest, so the pair starts as a PC BIOS leaves it: vectors 08h and
    // 70h, the slave cascaded on IR2, and every line masked since no handlers exist yet.
    this.master.write(0, 0x11);
    this.master.write(1, 0x08);
    this.master.write(1, 1 << CASCADE_IR);
    this.master.write(1, 0x01);
    this.master.write(1, 0xff & ~(1 << CASCADE_IR));
    this.slave.write(0, 0x11);
    this.slave.write(1, 0x70);
    this.slave.write(1, CASCADE_IR);
    this.slave.write(1, 0x01);
    this.slave.write(1, 0xff);
    for (let irq = 0; irq < 16; irq++) {
      const chip = irq < 8 ? this.master : this.slave;
      const n = irq & 7;
      this.irqLines.push({ raise: () => chip.setLine(n, true), lower: () => chip.setLine(n, false) });
    }
  }

  /** The line a device drives for `irq` 0-15; IRQ 2 is the slave's IRQ 9, as the AT rewired the ISA IRQ2 pin there. */
  line(irq: number): IrqLine {
    if (!Number.isInteger(irq) || irq < 0 || irq > 15) throw new RangeError(`PIC: there is no IRQ ${irq}`);
    return this.irqLines[irq === CASCADE_IR ? 9 : irq]!;
  }

  /** Whether INTR is asserted. */
  pending(): boolean {
    return this.intr;
  }

  /**
   * The INTA cycles. With no request left (it went away after INTR was seen) the master answers
   * with its IR7 vector and sets no ISR bit, the slave likewise with its IR7 (IRQ 15) while the
   * master's IR2 stays in service: the spurious interrupts handlers must check for.
   */
  acknowledge(): number {
    const m = this.master.pendingLevel();
    if (m < 0) return this.master.vectorBase + 7;
    this.master.acknowledge(m);
    if ((this.master.icw3 & (1 << m)) === 0) return this.master.vectorBase + m;
    const s = this.slave.pendingLevel();
    if (s < 0) return this.slave.vectorBase + 7;
    this.slave.acknowledge(s);
    return this.slave.vectorBase + s;
  }

  read(port: number, _size: AccessSize): number {
    if (port >= 0x4d0) return port === 0x4d0 ? this.master.elcr : this.slave.elcr;
    return (port < 0xa0 ? this.master : this.slave).read(port & 1);
  }

  write(port: number, _size: AccessSize, value: number): void {
    if (port >= 0x4d0) {
      const chip = port === 0x4d0 ? 0 : 1;
      (chip === 0 ? this.master : this.slave).setElcr(value & ELCR_WRITABLE[chip]);
      return;
    }
    (port < 0xa0 ? this.master : this.slave).write(port & 1, value);
  }

  private slaveChanged(): void {
    const out = this.slave.pendingLevel() >= 0;
    this.master.setLine(CASCADE_IR, out);
  }

  private update(): void {
    this.intr = this.master.pendingLevel() >= 0;
  }
}
