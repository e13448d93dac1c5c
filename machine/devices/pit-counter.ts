// One counter of the Intel 8254, modelled analytically: instead of decrementing on every input
// clock, it remembers the clock tick at which its counting element was loaded and computes the
// count and the OUT level for any later tick. Times here are PIT input clock ticks (1.193182 MHz).

/** The 8254 input clock on a PC, in Hz. */
export const PIT_HZ = 1_193_182;

/** The number of PIT clock ticks that have happened by virtual time `ns` (exact, no drift). */
export function ticksAt(ns: number): number {
  const whole = Math.floor(ns);
  const seconds = Math.floor(whole / 1e9);
  return seconds * PIT_HZ + Math.floor(((whole - seconds * 1e9) * PIT_HZ) / 1e9);
}

/** The first virtual nanosecond by which tick `tick` has happened; ticksAt(nsAtTick(k)) === k. */
export function nsAtTick(tick: number): number {
  const seconds = Math.floor(tick / PIT_HZ);
  return seconds * 1e9 + Math.ceil(((tick - seconds * PIT_HZ) * 1e9) / PIT_HZ);
}

/** One 8254 counter: its programming, latches, GATE input and OUT, evaluated at any tick. */
export class PitCounter {
  mode = 0;
  bcd = false;
  /** Access mode from the control word: 1 = low byte, 2 = high byte, 3 = low then high. */
  access = 3;
  /** OUT before the first count is loaded (set by the control word). */
  private idleOut = true;
  /** The value written to the count register, as a binary count (0 written means the modulus). */
  private countRegister = 0;
  /** Whether the counting element holds a count. */
  private running = false;
  private loadTick = 0;
  private initial = 0;
  /** Modes 2 and 3: a count written while counting, loaded at the end of the current cycle (mode 2) or half-cycle (mode 3). */
  private pendingCount: number | null = null;
  private pendingAt = 0;
  /** Mode 3: the pending count starts with the low half, having been loaded when OUT fell. */
  private pendingStartsLow = false;
  private gate = true;
  /** Modes 0, 2, 3 and 4 stop counting while GATE is low; this is the count elapsed when they stopped. */
  private suspendedElapsed: number | null = null;
  private writeLowNext = true;
  private readLowNext = true;
  private writeLowByte = 0;
  private latched: number | null = null;
  private latchedStatus: number | null = null;

  /** A control word for this counter (not a latch command): resets it into `mode`. */
  program(access: number, mode: number, bcd: boolean): void {
    this.access = access;
    // Mode bits 110 and 111 are the datasheet's X10 and X11: modes 2 and 3.
    this.mode = mode > 5 ? mode - 4 : mode;
    this.bcd = bcd;
    this.running = false;
    this.pendingCount = null;
    this.suspendedElapsed = null;
    this.idleOut = this.mode !== 0;
    this.writeLowNext = true;
    this.readLowNext = true;
    this.latched = null;
    this.latchedStatus = null;
  }

  /** A byte written to the counter's port at tick `tick`. */
  writeByte(tick: number, value: number): void {
    if (this.access === 1) return this.loadCount(tick, value);
    if (this.access === 2) return this.loadCount(tick, value << 8);
    if (this.writeLowNext) {
      this.writeLowByte = value;
      this.writeLowNext = false;
      // Mode 0: writing the first byte stops the count and drives OUT low at once.
      if (this.mode === 0) {
        const current = this.count(tick);
        this.running = false;
        this.initial = current;
        this.idleOut = false;
      }
      return;
    }
    this.writeLowNext = true;
    this.loadCount(tick, this.writeLowByte | (value << 8));
  }

  /** A read of the counter's port at tick `tick`: status latch, count latch, or the live count. */
  readByte(tick: number): number {
    if (this.latchedStatus !== null) {
      const status = this.latchedStatus;
      this.latchedStatus = null;
      return status;
    }
    const value = this.latched ?? this.encode(this.count(tick));
    const low = this.access === 1 || (this.access === 3 && this.readLowNext);
    if (this.access === 3) this.readLowNext = !this.readLowNext;
    if (this.latched !== null && (this.access !== 3 || this.readLowNext)) this.latched = null;
    return low ? value & 0xff : value >> 8;
  }

  /** The counter latch command: freezes the count for reading (ignored while a latch is unread). */
  latchCount(tick: number): void {
    if (this.latched === null) this.latched = this.encode(this.count(tick));
  }

  /** The read-back command's status latch: OUT, null count, access, mode, BCD. */
  latchStatus(tick: number): void {
    if (this.latchedStatus !== null) return;
    this.sync(tick);
    const nullCount = this.pendingCount !== null || !this.running || tick < this.loadTick;
    this.latchedStatus =
      (this.out(tick) ? 0x80 : 0) | (nullCount ? 0x40 : 0) | (this.access << 4) | (this.mode << 1) | (this.bcd ? 1 : 0);
  }

  /** GATE input (tied high on counters 0 and 1 of a PC; port 0x61 bit 0 on counter 2). */
  setGate(tick: number, high: boolean): void {
    if (high === this.gate) return;
    this.sync(tick);
    this.gate = high;
    const m = this.mode;
    if (m === 0 || m === 4) {
      if (!this.running) return;
      if (!high) {
        this.suspendedElapsed = Math.max(0, tick - this.loadTick);
      } else if (this.suspendedElapsed !== null) {
        this.loadTick = tick + 1 - this.suspendedElapsed;
        this.suspendedElapsed = null;
      }
    } else if (high && this.countRegister !== 0) {
      // Rising edge: modes 1 and 5 trigger, modes 2 and 3 restart; the count loads on the next clock.
      this.start(tick + 1, this.countRegister);
    } else if (!high && (m === 2 || m === 3) && this.running) {
      // Modes 2 and 3 stop counting (OUT goes high) until the gate rises again.
      this.suspendedElapsed = Math.max(0, tick - this.loadTick);
    }
  }

  /** OUT at tick `tick`. */
  out(tick: number): boolean {
    this.sync(tick);
    if (!this.running || tick < this.loadTick) return this.idleOut;
    const e = this.elapsed(tick);
    const n = this.initial;
    switch (this.mode) {
      case 0:
        return e >= n;
      case 1:
        return e >= n;
      case 2:
        if (!this.gate) return true;
        return e % n !== n - 1;
      case 3:
        if (!this.gate) return true;
        return e % n < Math.ceil(n / 2);
      default: // 4 and 5: one low clock when the count reaches zero
        return e !== n;
    }
  }

  /** The first tick after `tick` at which OUT changes, or Infinity if it will not change by itself. */
  nextEdge(tick: number): number {
    this.sync(tick);
    if (!this.running || this.suspendedElapsed !== null) return Infinity;
    const start = this.loadTick;
    const n = this.initial;
    if (tick >= start) return this.nextEdgeFrom(tick, start, n);
    return this.out(start) !== this.idleOut ? start : this.nextEdgeFrom(start, start, n);
  }

  /** The counting element's value at `tick`, as a binary number. */
  count(tick: number): number {
    this.sync(tick);
    if (!this.running || tick < this.loadTick) return this.initial % this.modulus();
    const e = this.elapsed(tick);
    const n = this.initial;
    const mod = this.modulus();
    switch (this.mode) {
      case 2:
        return n - (e % n);
      case 3: {
        const high = Math.ceil(n / 2);
        const phase = e % n;
        const even = n - (n & 1);
        const inHalf = phase < high ? phase : phase - high;
        return Math.max(0, even - 2 * inHalf) % mod;
      }
      default:
        return (((n - e) % mod) + mod) % mod;
    }
  }

  private nextEdgeFrom(tick: number, start: number, n: number): number {
    const e = tick - start;
    switch (this.mode) {
      case 0:
      case 1:
        return e < n ? start + n : Infinity;
      case 2: {
        if (!this.gate) return Infinity;
        const cycleStart = start + Math.floor(e / n) * n;
        const fall = cycleStart + n - 1;
        return tick < fall ? fall : cycleStart + n;
      }
      case 3: {
        if (!this.gate) return Infinity;
        const cycleStart = start + Math.floor(e / n) * n;
        const fall = cycleStart + Math.ceil(n / 2);
        return tick < fall ? fall : cycleStart + n;
      }
      default:
        if (e < n) return start + n;
        return e === n ? start + n + 1 : Infinity;
    }
  }

  private loadCount(tick: number, raw: number): void {
    let value = this.bcd ? fromBcd(raw) : raw;
    if (value === 0) value = this.modulus();
    this.sync(tick);
    this.countRegister = value;
    const m = this.mode;
    if ((m === 2 || m === 3) && this.running && this.gate && tick >= this.loadTick) {
      const n = this.initial;
      const cycleStart = this.loadTick + Math.floor((tick - this.loadTick) / n) * n;
      const fall = cycleStart + Math.ceil(n / 2);
      this.pendingCount = value;
      this.pendingStartsLow = m === 3 && tick < fall;
      this.pendingAt = this.pendingStartsLow ? fall : cycleStart + n;
      return;
    }
    if (m === 1 || m === 5 || ((m === 2 || m === 3) && !this.gate)) {
      // Hardware-triggered modes, and modes 2 and 3 with the gate low, take the count on the next
      // rising edge of GATE; a one-shot already running is not affected.
      if (!this.running) this.initial = value;
      return;
    }
    this.idleOut = m !== 0;
    this.start(tick + 1, value);
    if ((m === 0 || m === 4) && !this.gate) this.suspendedElapsed = 0;
  }

  private start(loadTick: number, value: number): void {
    this.running = true;
    this.loadTick = loadTick;
    this.initial = value;
    this.pendingCount = null;
    this.suspendedElapsed = null;
  }

  private elapsed(tick: number): number {
    return this.suspendedElapsed ?? tick - this.loadTick;
  }

  /** Applies a pending count once the (half-)cycle in which it was written has ended (modes 2 and 3). */
  private sync(tick: number): void {
    if (this.pendingCount === null || !this.gate || tick < this.pendingAt) return;
    // Starting in the low half is the same as having been loaded half a cycle earlier.
    this.loadTick = this.pendingAt - (this.pendingStartsLow ? Math.ceil(this.pendingCount / 2) : 0);
    this.initial = this.pendingCount;
    this.pendingCount = null;
  }

  private modulus(): number {
    return this.bcd ? 10000 : 0x10000;
  }

  private encode(value: number): number {
    return this.bcd ? toBcd(value % 10000) : value & 0xffff;
  }
}

function fromBcd(v: number): number {
  return ((v >> 12) & 0xf) * 1000 + ((v >> 8) & 0xf) * 100 + ((v >> 4) & 0xf) * 10 + (v & 0xf);
}

function toBcd(v: number): number {
  return ((Math.floor(v / 1000) % 10) << 12) | ((Math.floor(v / 100) % 10) << 8) | ((Math.floor(v / 10) % 10) << 4) | (v % 10);
}
