// A National Semiconductor 16550A UART (COM1 at 0x3F8, IRQ4 on a PC). Characters take the time
// the programmed line needs (start bit, data bits, parity, stop bits at the divisor's baud rate),
// so a guest that prints a lot over serial pays for it in virtual time exactly as on hardware, and
// a polling loop on LSR sees THRE and TEMT go high when the bytes have really left. Bytes from the
// host arrive at the same line rate. As on a PC, the interrupt output reaches the PIC only while
// MCR bit 3 (OUT2) is set, and never in loopback mode, where the modem outputs are forced inactive.

import type { Clock, IrqLine, Timer } from '../interfaces.ts';
import type { AccessSize, PortDevice, PortRange } from '../bus/port-device.ts';
import { Queue } from './queue.ts';

const CRYSTAL_HZ = 1_843_200;
const FIFO_SIZE = 16;
const TRIGGER_LEVELS = [1, 4, 8, 14] as const;

const LSR_DR = 0x01;
const LSR_OE = 0x02;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;

const IER_RDA = 0x01;
const IER_THRE = 0x02;
const IER_LINE = 0x04;
const IER_MODEM = 0x08;

const MCR_DTR = 0x01;
const MCR_RTS = 0x02;
const MCR_OUT1 = 0x04;
const MCR_OUT2 = 0x08;
const MCR_LOOP = 0x10;

/** With no loopback, the host side keeps CTS, DSR and DCD asserted: a connected terminal. */
const HOST_MODEM_LINES = 0xb0;

/** The clock, IRQ line and host sink a UART is wired to, and where it sits. */
export interface Uart16550Options {
  clock: Clock;
  irq: IrqLine;
  /** Receives every byte the guest transmits, when it has left the transmitter. */
  sink: (byte: number) => void;
  base?: number;
  name?: string;
}

/** One 16550A; host input goes in through receive(), output comes out of the sink. */
export class Uart16550 implements PortDevice {
  readonly name: string;
  readonly ports: readonly PortRange[];
  // As a BIOS leaves COM1: 115200 baud (divisor 1), 8 data bits, no parity, 1 stop bit.
  private divisor = 1;
  private ier = 0;
  private lcr = 0x03;
  private mcr = 0;
  private lsrErrors = 0;
  private msr = HOST_MODEM_LINES;
  private scr = 0;
  private fifoEnabled = false;
  private triggerLevel = 1;

  private readonly rx: number[] = [];
  private readonly tx: number[] = [];
  private shifting = false;
  private thrInterrupt = false;
  private timeoutInterrupt = false;
  private readonly line = new Queue<number>();
  private lineTimer: Timer | null = null;
  private timeoutTimer: Timer | null = null;
  private irqLevel = false;

  constructor(private readonly options: Uart16550Options) {
    const base = options.base ?? 0x3f8;
    this.name = options.name ?? `16550 UART at 0x${base.toString(16).toUpperCase()}`;
    this.ports = [{ first: base, last: base + 7 }];
  }

  /** Host input: the bytes arrive on the receive line one character time apart; throws, queuing nothing, on a value that is not a byte. */
  receive(bytes: Iterable<number>): void {
    const list = [...bytes];
    const bad = list.find((b) => !Number.isInteger(b) || b < 0 || b > 0xff);
    if (bad !== undefined) throw new RangeError(`${this.name}: cannot send ${bad} on the line: bytes are integers 0-255`);
    for (const b of list) this.line.push(b);
    this.startLine();
  }

  /** Nanoseconds one character takes on the line as currently programmed. */
  characterNs(): number {
    const dataBits = 5 + (this.lcr & 3);
    const parity = this.lcr & 0x08 ? 1 : 0;
    const stop = this.lcr & 0x04 ? (dataBits === 5 ? 1.5 : 2) : 1;
    // The baud generator is a 16-bit down counter: a divisor of 0 divides by 65536.
    const divisor = this.divisor === 0 ? 0x10000 : this.divisor;
    return Math.round(((1 + dataBits + parity + stop) * divisor * 16 * 1e9) / CRYSTAL_HZ);
  }

  read(port: number, _size: AccessSize): number {
    const dlab = (this.lcr & 0x80) !== 0;
    let value: number;
    switch (port - this.ports[0]!.first) {
      case 0:
        value = dlab ? this.divisor & 0xff : this.readRbr();
        break;
      case 1:
        value = dlab ? this.divisor >> 8 : this.ier;
        break;
      case 2:
        value = this.readIir();
        break;
      case 3:
        value = this.lcr;
        break;
      case 4:
        value = this.mcr;
        break;
      case 5:
        value = this.lsr();
        this.lsrErrors = 0;
        break;
      case 6:
        value = this.msr;
        this.msr &= 0xf0;
        break;
      default:
        value = this.scr;
        break;
    }
    this.updateIrq();
    return value;
  }

  write(port: number, _size: AccessSize, value: number): void {
    const dlab = (this.lcr & 0x80) !== 0;
    switch (port - this.ports[0]!.first) {
      case 0:
        if (dlab) this.divisor = (this.divisor & 0xff00) | value;
        else this.writeThr(value);
        break;
      case 1:
        if (dlab) {
          this.divisor = (this.divisor & 0xff) | (value << 8);
        } else {
          // Enabling the THRE interrupt while THR is empty raises it at once (the 16550A does).
          if (value & IER_THRE && !(this.ier & IER_THRE) && this.tx.length === 0) this.thrInterrupt = true;
          this.ier = value & 0x0f;
        }
        break;
      case 2:
        this.writeFcr(value);
        break;
      case 3:
        this.lcr = value;
        break;
      case 4:
        this.writeMcr(value & 0x1f);
        break;
      case 7:
        this.scr = value;
        break;
      default:
        // LSR and MSR are read-only (writing them is a factory test mode).
        break;
    }
    this.updateIrq();
  }

  /** LSR; bit 7 (parity, framing or break error in the FIFO) never sets: such errors cannot happen on this line. */
  private lsr(): number {
    let value = this.lsrErrors;
    if (this.rx.length > 0) value |= LSR_DR;
    if (this.tx.length === 0) value |= LSR_THRE;
    if (this.tx.length === 0 && !this.shifting) value |= LSR_TEMT;
    return value;
  }

  private readRbr(): number {
    const value = this.rx.shift() ?? 0;
    this.timeoutInterrupt = false;
    this.armTimeout();
    return value;
  }

  private readIir(): number {
    const id = this.interruptId();
    // Reading IIR acknowledges a THRE interrupt when it is the one reported.
    if (id === 0x02) this.thrInterrupt = false;
    return id | (this.fifoEnabled ? 0xc0 : 0);
  }

  /** The highest-priority pending interrupt: line status, received data or timeout, THRE, modem status; 0x01 for none. */
  private interruptId(): number {
    if (this.ier & IER_LINE && this.lsrErrors !== 0) return 0x06;
    if (this.ier & IER_RDA) {
      if (this.rx.length >= (this.fifoEnabled ? this.triggerLevel : 1)) return 0x04;
      if (this.timeoutInterrupt) return 0x0c;
    }
    if (this.ier & IER_THRE && this.thrInterrupt) return 0x02;
    if (this.ier & IER_MODEM && (this.msr & 0x0f) !== 0) return 0x00;
    return 0x01;
  }

  private writeThr(value: number): void {
    this.thrInterrupt = false;
    if (this.mcr & MCR_LOOP) {
      // Loopback hands the byte to the receiver at once rather than after a character time: the
      // common kernel serial probe writes 0xAE in loopback and reads it back with the very next
      // instruction, which QEMU (where those kernels are written) allows.
      this.deliver(value);
      if (this.tx.length === 0) this.thrInterrupt = true;
      return;
    }
    const capacity = this.fifoEnabled ? FIFO_SIZE : 1;
    // Writing to a full FIFO loses the byte; without FIFOs it overwrites the unsent THR.
    if (this.tx.length < capacity) this.tx.push(value);
    else if (!this.fifoEnabled) this.tx[0] = value;
    this.startTransmitter();
  }

  private startTransmitter(): void {
    if (this.shifting || this.tx.length === 0) return;
    const byte = this.tx.shift()!;
    this.shifting = true;
    if (this.tx.length === 0) this.thrInterrupt = true;
    this.options.clock.at(this.options.clock.now() + this.characterNs(), () => {
      this.shifting = false;
      if (this.mcr & MCR_LOOP) this.deliver(byte);
      else this.options.sink(byte);
      this.startTransmitter();
      this.updateIrq();
    });
  }

  private writeFcr(value: number): void {
    const enable = (value & 1) !== 0;
    if (enable !== this.fifoEnabled) {
      this.rx.length = 0;
      this.tx.length = 0;
    }
    this.fifoEnabled = enable;
    if (!enable) return;
    if (value & 0x02) {
      this.rx.length = 0;
      this.timeoutInterrupt = false;
    }
    if (value & 0x04) this.tx.length = 0;
    this.triggerLevel = TRIGGER_LEVELS[value >> 6]!;
  }

  private writeMcr(value: number): void {
    const before = this.modemInputs();
    const wasLoop = (this.mcr & MCR_LOOP) !== 0;
    this.mcr = value;
    const after = this.modemInputs();
    let delta = 0;
    if ((before ^ after) & 0x10) delta |= 0x01;
    if ((before ^ after) & 0x20) delta |= 0x02;
    // Trailing edge of RI: RI went from on to off.
    if (before & 0x40 && !(after & 0x40)) delta |= 0x04;
    if ((before ^ after) & 0x80) delta |= 0x08;
    this.msr = after | (this.msr & 0x0f) | delta;
    if (wasLoop && !(value & MCR_LOOP)) this.startLine();
  }

  /** CTS, DSR, RI, DCD in MSR bits 4-7: the looped-back modem outputs, or the host's lines. */
  private modemInputs(): number {
    if (!(this.mcr & MCR_LOOP)) return HOST_MODEM_LINES;
    const m = this.mcr;
    return (m & MCR_RTS ? 0x10 : 0) | (m & MCR_DTR ? 0x20 : 0) | (m & MCR_OUT1 ? 0x40 : 0) | (m & MCR_OUT2 ? 0x80 : 0);
  }

  /** A character completes on the receive line. */
  private deliver(byte: number): void {
    const capacity = this.fifoEnabled ? FIFO_SIZE : 1;
    if (this.rx.length < capacity) {
      this.rx.push(byte);
    } else {
      // Overrun: the new character is lost (FIFO) or overwrites the holding register (no FIFO).
      this.lsrErrors |= LSR_OE;
      if (!this.fifoEnabled) this.rx[0] = byte;
    }
    this.timeoutInterrupt = false;
    this.armTimeout();
  }

  /** Host bytes go out on the line while it is not looped back. */
  private startLine(): void {
    if (this.lineTimer !== null || this.line.length === 0 || this.mcr & MCR_LOOP) return;
    this.lineTimer = this.options.clock.at(this.options.clock.now() + this.characterNs(), () => {
      this.lineTimer = null;
      if (this.mcr & MCR_LOOP) return;
      this.deliver(this.line.shift()!);
      this.updateIrq();
      this.startLine();
    });
  }

  /** The character timeout: data below the trigger level, untouched for four character times. */
  private armTimeout(): void {
    this.timeoutTimer?.cancel();
    this.timeoutTimer = null;
    if (!this.fifoEnabled || this.rx.length === 0) return;
    this.timeoutTimer = this.options.clock.at(this.options.clock.now() + 4 * this.characterNs(), () => {
      this.timeoutTimer = null;
      if (this.rx.length > 0) this.timeoutInterrupt = true;
      this.updateIrq();
    });
  }

  private updateIrq(): void {
    const level = this.interruptId() !== 0x01 && (this.mcr & (MCR_OUT2 | MCR_LOOP)) === MCR_OUT2;
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    if (level) this.options.irq.raise();
    else this.options.irq.lower();
  }
}
