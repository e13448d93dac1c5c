// One Intel 8259A programmable interrupt controller, as its datasheet describes it: the
// initialisation sequence ICW1-ICW4, the operation commands OCW1-OCW3, the IRR/ISR/IMR registers,
// priority resolution with optional rotation, special mask mode, poll mode and auto-EOI. The
// master/slave pair and the CPU side live in pic-pair.ts.

/** Where a chip is in its initialisation sequence. */
const enum Init {
  Ready,
  WantIcw2,
  WantIcw3,
  WantIcw4,
}

/** One 8259A; `changed` is called after anything that may move its INT output. */
export class Pic8259 {
  irr = 0;
  isr = 0;
  imr = 0;
  /** Vector of IR0 (ICW2 with the low three bits cleared). */
  vectorBase = 0;
  /** ICW3: on the master the IR inputs with a slave, on a slave its cascade identity. */
  icw3 = 0;
  autoEoi = false;
  specialFullyNested = false;
  /** Inputs in level-triggered mode (from ICW1.LTIM or the ELCR). */
  levelMask = 0;
  elcr = 0;

  private lines = 0;
  private init = Init.Ready;
  private icw4Needed = false;
  private single = false;
  private ltim = false;
  private readIsr = false;
  private poll = false;
  private specialMask = false;
  private rotateOnAutoEoi = false;
  /** The IR level with the highest priority; 0 is the fixed-priority order IR0 > ... > IR7. */
  private highest = 0;

  constructor(
    private readonly isMaster: boolean,
    private readonly changed: () => void,
  ) {}

  /** Drives input IR`n`: a rising edge latches a request; a falling edge withdraws it, as the datasheet requires the request to stay high until acknowledged. */
  setLine(n: number, high: boolean): void {
    const bit = 1 << n;
    if (high) {
      if ((this.lines & bit) === 0 || (this.levelMask & bit) !== 0) this.irr |= bit;
      this.lines |= bit;
    } else {
      this.lines &= ~bit;
      this.irr &= ~bit;
    }
    this.changed();
  }

  /** The highest-priority request that may interrupt now (the INT output), or -1. */
  pendingLevel(): number {
    const requests = this.irr & ~this.imr;
    if (requests === 0) return -1;
    const request = this.priorityOf(requests);
    let inService = this.isr;
    if (this.specialMask) inService &= ~this.imr;
    // In special fully nested mode a slave may interrupt again while another of its requests is in service.
    if (this.specialFullyNested && this.isMaster) inService &= ~this.icw3;
    return request < this.priorityOf(inService) ? (request + this.highest) & 7 : -1;
  }

  /** The INTA cycle for level `n`: moves the request from IRR to ISR (or not, in auto-EOI). */
  acknowledge(n: number): void {
    const bit = 1 << n;
    if ((this.levelMask & bit) === 0 || (this.lines & bit) === 0) this.irr &= ~bit;
    if (this.autoEoi) {
      if (this.rotateOnAutoEoi) this.highest = (n + 1) & 7;
    } else {
      this.isr |= bit;
    }
    this.changed();
  }

  /** A CPU write to the chip's port with A0 = `a0`. */
  write(a0: number, value: number): void {
    if (a0 === 0) {
      if (value & 0x10) this.icw1(value);
      else if (value & 0x08) this.ocw3(value);
      else this.ocw2(value);
    } else {
      switch (this.init) {
        case Init.WantIcw2:
          this.vectorBase = value & 0xf8;
          this.init = this.single ? this.afterIcw3() : Init.WantIcw3;
          break;
        case Init.WantIcw3:
          this.icw3 = value;
          this.init = this.afterIcw3();
          break;
        case Init.WantIcw4:
          // Bit 0 (8086 mode) is assumed: the MCS-80 call sequence has no meaning on a PC.
          this.autoEoi = (value & 0x02) !== 0;
          this.specialFullyNested = (value & 0x10) !== 0;
          this.init = Init.Ready;
          break;
        case Init.Ready:
          this.imr = value;
          break;
      }
    }
    this.changed();
  }

  /** A CPU read of the chip's port with A0 = `a0`: IRR, ISR (per OCW3), the poll word, or IMR. */
  read(a0: number): number {
    if (this.poll) {
      this.poll = false;
      const n = this.pendingLevel();
      if (n < 0) return 0;
      this.acknowledge(n);
      return 0x80 | n;
    }
    if (a0 === 1) return this.imr;
    return this.readIsr ? this.isr : this.irr;
  }

  /** Sets the ELCR bits that make inputs level-triggered. */
  setElcr(value: number): void {
    this.elcr = value;
    this.levelMask = this.ltim ? 0xff : value;
    this.irr = (this.irr & ~this.levelMask) | (this.lines & this.levelMask);
    this.changed();
  }

  private icw1(value: number): void {
    this.icw4Needed = (value & 0x01) !== 0;
    this.single = (value & 0x02) !== 0;
    this.ltim = (value & 0x08) !== 0;
    this.levelMask = this.ltim ? 0xff : this.elcr;
    // The edge-sense latches reset: an input already high must go low and high again to request.
    this.irr &= this.levelMask & this.lines;
    this.isr = 0;
    this.imr = 0;
    this.highest = 0;
    this.specialMask = false;
    this.readIsr = false;
    this.poll = false;
    if (!this.icw4Needed) {
      this.autoEoi = false;
      this.specialFullyNested = false;
    }
    this.rotateOnAutoEoi = false;
    this.init = Init.WantIcw2;
  }

  private afterIcw3(): Init {
    return this.icw4Needed ? Init.WantIcw4 : Init.Ready;
  }

  private ocw2(value: number): void {
    const level = value & 7;
    switch (value >> 5) {
      case 0b001: // non-specific EOI
      case 0b101: {
        // rotate on non-specific EOI
        const n = this.highestInService();
        if (n >= 0) {
          this.isr &= ~(1 << n);
          if (value & 0x80) this.highest = (n + 1) & 7;
        }
        break;
      }
      case 0b011: // specific EOI
        this.isr &= ~(1 << level);
        break;
      case 0b111: // rotate on specific EOI
        this.isr &= ~(1 << level);
        this.highest = (level + 1) & 7;
        break;
      case 0b110: // set priority: `level` becomes the lowest
        this.highest = (level + 1) & 7;
        break;
      case 0b100:
        this.rotateOnAutoEoi = true;
        break;
      case 0b000:
        this.rotateOnAutoEoi = false;
        break;
      default: // 0b010: no operation
        break;
    }
  }

  private ocw3(value: number): void {
    if (value & 0x40) this.specialMask = (value & 0x20) !== 0;
    if (value & 0x04) this.poll = true;
    if (value & 0x02) this.readIsr = (value & 0x01) !== 0;
  }

  /** The in-service level with the highest priority, which a non-specific EOI ends. */
  private highestInService(): number {
    const p = this.priorityOf(this.isr);
    return p === 8 ? -1 : (p + this.highest) & 7;
  }

  /** Priority rank (0 = highest) of the best bit in `mask`, or 8 for none. */
  private priorityOf(mask: number): number {
    if (mask === 0) return 8;
    let p = 0;
    while ((mask & (1 << ((p + this.highest) & 7))) === 0) p++;
    return p;
  }
}
