// The two 8259A interrupt controllers: remapped above the CPU's exceptions (IRQ 0-7 to
// IRQ_BASE, 8-15 to IRQ_BASE+8) with the initialization command words, masks, end of interrupt.
import type { PortIo } from '../../../../machine/interfaces.ts';

const MASTER_CMD = 0x20;
const MASTER_DATA = 0x21;
const SLAVE_CMD = 0xa0;
const SLAVE_DATA = 0xa1;
const EOI = 0x20;
const READ_ISR = 0x0b;

/** The PIC pair as the kernel drives it. */
export class Pic {
  constructor(private readonly io: PortIo) {}

  /** ICW1-ICW4 on both chips: edge-triggered, cascaded on IRQ 2, 8086 mode; then only `enabled` IRQs unmasked. */
  init(base: number, enabled: readonly number[]): void {
    const out = (port: number, value: number): void => this.io.write(port, 1, value);
    out(MASTER_CMD, 0x11); // ICW1: edge, cascade, ICW4 follows
    out(SLAVE_CMD, 0x11);
    out(MASTER_DATA, base); // ICW2: vector base
    out(SLAVE_DATA, base + 8);
    out(MASTER_DATA, 0x04); // ICW3: a slave on IRQ 2
    out(SLAVE_DATA, 0x02); //        this slave's cascade identity
    out(MASTER_DATA, 0x01); // ICW4: 8086 mode, normal EOI
    out(SLAVE_DATA, 0x01);
    let mask = 0xffff;
    for (const irq of enabled) mask &= ~(1 << irq);
    if ((mask & 0xff00) !== 0xff00) mask &= ~(1 << 2); // the cascade, when a slave IRQ is wanted
    out(MASTER_DATA, mask & 0xff);
    out(SLAVE_DATA, mask >>> 8);
  }

  /**
   * Whether `irq` is real rather than spurious: a request that went away before the CPU's
   * acknowledge shows up as IRQ 7 (or 15) with its in-service bit clear, and must get no EOI.
   */
  isGenuine(irq: number): boolean {
    if ((irq & 7) !== 7) return true;
    const cmd = irq < 8 ? MASTER_CMD : SLAVE_CMD;
    this.io.write(cmd, 1, READ_ISR);
    const genuine = (this.io.read(cmd, 1) & 0x80) !== 0;
    if (!genuine && irq >= 8) this.io.write(MASTER_CMD, 1, EOI); // the master did see IRQ 2
    return genuine;
  }

  /** End of interrupt for `irq` (the slave's IRQs need it on both chips). */
  endOfInterrupt(irq: number): void {
    if (irq >= 8) this.io.write(SLAVE_CMD, 1, EOI);
    this.io.write(MASTER_CMD, 1, EOI);
  }
}
