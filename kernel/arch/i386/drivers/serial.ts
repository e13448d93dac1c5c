// COM1, a 16550A: the console's mirror, interrupt driven. Output waits in a queue and is fed
// to the transmit FIFO 16 bytes at a time whenever the transmitter-empty interrupt says it has
// drained (the line takes real virtual time per character); received bytes go to `receive`.
import type { PortIo } from '../../../../machine/interfaces.ts';

const BASE = 0x3f8;
const THR = BASE;
const RBR = BASE;
const IER = BASE + 1;
const IIR = BASE + 2;
const FCR = BASE + 2;
const LCR = BASE + 3;
const MCR = BASE + 4;
const LSR = BASE + 5;
const LSR_DR = 0x01;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
const IER_RDA = 0x01;
const IER_THRE = 0x02;
const FIFO_BYTES = 16;
/** The divisor latch value for 115200 baud (the 1.8432 MHz crystal / 16 / 1). */
const DIVISOR = 1;

/** The serial port driver. */
export class Serial {
  private readonly queue: number[] = [];
  private head = 0;

  constructor(
    private readonly io: PortIo,
    private readonly receive: (byte: number) => void,
  ) {}

  /** 115200 baud 8N1, FIFOs on, OUT2 (the PC's interrupt enable) set, receive interrupts on. */
  init(): void {
    const out = (port: number, value: number): void => this.io.write(port, 1, value);
    out(IER, 0);
    out(LCR, 0x80); // DLAB: the next two ports are the divisor latch
    out(BASE, DIVISOR & 0xff);
    out(BASE + 1, DIVISOR >>> 8);
    out(LCR, 0x03); // 8 data bits, no parity, 1 stop bit
    out(FCR, 0x07); // enable and clear both FIFOs
    out(MCR, 0x0b); // DTR, RTS, OUT2
    out(IER, IER_RDA);
  }

  /** Queues bytes for transmission. */
  write(bytes: Uint8Array): void {
    for (const b of bytes) this.queue.push(b);
    this.pump();
  }

  /** Bytes waiting to enter the transmitter. */
  get backlog(): number {
    return this.queue.length - this.head;
  }

  /** Whether everything written has left the line (the queue, the FIFO and the shift register are empty). */
  drained(): boolean {
    this.pump();
    return this.backlog === 0 && (this.io.read(LSR, 1) & LSR_TEMT) !== 0;
  }

  /** IRQ 4: drains the receiver, refills the transmitter. */
  interrupt(): void {
    this.io.read(IIR, 1);
    while (this.io.read(LSR, 1) & LSR_DR) this.receive(this.io.read(RBR, 1));
    this.pump();
  }

  private pump(): void {
    if (this.head < this.queue.length && this.io.read(LSR, 1) & LSR_THRE) {
      for (let n = 0; n < FIFO_BYTES && this.head < this.queue.length; n++) this.io.write(THR, 1, this.queue[this.head++]!);
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    this.io.write(IER, 1, IER_RDA | (this.queue.length > 0 ? IER_THRE : 0));
  }
}
