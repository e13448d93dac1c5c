// The MC146818-compatible real-time clock and CMOS RAM at 0x70 (index, bit 7 = NMI mask) and
// 0x71 (data). The calendar starts at a configured instant and advances with virtual time, one
// update cycle per second; status A shows the update in progress, B selects BCD or binary and 12
// or 24 hours and enables interrupts, C holds the flags (cleared by reading it) and D reports valid
// RAM. Periodic, alarm and update-ended interrupts raise IRQ8. Flags are computed when the guest
// looks and clock events are scheduled only while an enabled interrupt can still fire.

import type { Clock, IrqLine, Timer } from '../interfaces.ts';
import type { AccessSize, PortDevice, PortRange } from '../bus/port-device.ts';

/** A wall-clock date and time (month 1-12, day 1-31, 24-hour). */
export interface CalendarTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What the RTC is wired to and where its calendar starts. */
export interface CmosRtcOptions {
  clock: Clock;
  irq8: IrqLine;
  /** Guest RAM in bytes, reported in the CMOS memory-size bytes. */
  ramBytes: number;
  /** The calendar time at power-on (virtual time 0). Default 2026-01-01 00:00:00. */
  start?: CalendarTime;
}

/** The deterministic default calendar at power-on: 2026-01-01 00:00:00. */
export const DEFAULT_START: CalendarTime = { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 };

const SECOND_NS = 1e9;
/** UIP rises 244 us before an update cycle of 1984 us; the new time is readable after it. */
const UIP_NS = 244_000 + 1_984_000;
/** One period of the 32.768 kHz time base. */
const TIMEBASE_NS = 1e9 / 32768;

const REG_A = 0x0a;
const REG_B = 0x0b;
const REG_C = 0x0c;
const REG_D = 0x0d;
const CENTURY = 0x32;

const B_SET = 0x80;
const B_PIE = 0x40;
const B_AIE = 0x20;
const B_UIE = 0x10;
const B_BINARY = 0x04;
const B_24H = 0x02;

const C_IRQF = 0x80;
const C_PF = 0x40;
const C_AF = 0x20;
const C_UF = 0x10;

/** The RTC and its 128 bytes of CMOS RAM, behind the index and data ports. */
export class CmosRtc implements PortDevice {
  readonly name = 'CMOS RTC';
  readonly ports: readonly PortRange[] = [{ first: 0x70, last: 0x71 }];
  /** Whether the last write to port 0x70 had bit 7 set, masking NMI. */
  nmiMasked = false;
  private readonly ram = new Uint8Array(128);
  private index = 0;
  // The calendar, kept in binary; registers show it in the format status B selects.
  private second: number;
  private minute: number;
  private hour: number;
  private weekday: number;
  private day: number;
  private month: number;
  private year: number;
  /** The century byte at 0x32 (the IBM location; ACPI's FADT points here too), shown like the time. */
  private century: number;
  private flags = 0;
  private nextUpdateNs = SECOND_NS;
  /** The time base restarts when the divider leaves reset; periodic ticks count from here. */
  private phaseNs = 0;
  private periodicSeenNs = 0;
  private timer: Timer | null = null;
  private irqLevel = false;

  constructor(private readonly options: CmosRtcOptions) {
    const start = options.start ?? DEFAULT_START;
    checkOptions(options.ramBytes, start);
    this.second = start.second;
    this.minute = start.minute;
    this.hour = start.hour;
    this.day = start.day;
    this.month = start.month;
    this.year = start.year % 100;
    this.weekday = ((daysFromCivil(start.year, start.month, start.day) % 7) + 11) % 7 + 1;
    // As a BIOS leaves it: 32.768 kHz divider, 1024 Hz periodic rate, BCD, 24-hour mode.
    this.ram[REG_A] = 0x26;
    this.ram[REG_B] = B_24H;
    this.ram[REG_D] = 0x80;
    this.century = Math.floor(start.year / 100);
    this.fillMemorySize(options.ramBytes);
  }

  /** The calendar as it stands now, for front ends and tests. */
  now(): CalendarTime {
    this.sync();
    return {
      year: this.century * 100 + this.year,
      month: this.month,
      day: this.day,
      hour: this.hour,
      minute: this.minute,
      second: this.second,
    };
  }

  read(port: number, _size: AccessSize): number {
    // The index register is write-only.
    if (port === 0x70) return 0xff;
    this.sync();
    const index = this.index;
    switch (index) {
      case 0x00:
        return this.encode(this.second);
      case 0x02:
        return this.encode(this.minute);
      case 0x04:
        return this.encodeHour();
      case 0x06:
        return this.encode(this.weekday);
      case 0x07:
        return this.encode(this.day);
      case 0x08:
        return this.encode(this.month);
      case 0x09:
        return this.encode(this.year);
      case CENTURY:
        return this.encode(this.century);
      case REG_A:
        return (this.ram[REG_A]! & 0x7f) | (this.updateInProgress() ? 0x80 : 0);
      case REG_C: {
        const value = this.flags | (this.interruptRequested() ? C_IRQF : 0);
        this.flags = 0;
        this.periodicSeenNs = this.options.clock.now();
        this.updateIrq();
        this.schedule();
        return value;
      }
      case REG_D:
        return 0x80;
      default:
        return this.ram[index]!;
    }
  }

  write(port: number, _size: AccessSize, value: number): void {
    if (port === 0x70) {
      this.index = value & 0x7f;
      this.nmiMasked = (value & 0x80) !== 0;
      return;
    }
    this.sync();
    switch (this.index) {
      case 0x00:
        this.second = this.decode(value);
        break;
      case 0x02:
        this.minute = this.decode(value);
        break;
      case 0x04:
        this.hour = this.decodeHour(value);
        break;
      case 0x06:
        this.weekday = this.decode(value);
        break;
      case 0x07:
        this.day = this.decode(value);
        break;
      case 0x08:
        this.month = this.decode(value);
        break;
      case 0x09:
        this.year = this.decode(value);
        break;
      case CENTURY:
        this.century = this.decode(value);
        break;
      case REG_A:
        this.writeA(value);
        break;
      case REG_B:
        // Setting SET stops updates and clears UIE.
        this.ram[REG_B] = value & B_SET ? value & ~B_UIE : value;
        break;
      case REG_C:
      case REG_D:
        break;
      default:
        this.ram[this.index] = value;
        break;
    }
    this.updateIrq();
    this.schedule();
  }

  private writeA(value: number): void {
    const wasRunning = this.dividerRunning();
    this.ram[REG_A] = value & 0x7f;
    const now = this.options.clock.now();
    if (wasRunning && !this.dividerRunning()) this.nextUpdateNs = Infinity;
    if (!wasRunning && this.dividerRunning()) {
      // The first update comes half a second after the divider chain leaves reset.
      this.phaseNs = now;
      this.nextUpdateNs = now + SECOND_NS / 2;
    }
    this.periodicSeenNs = now;
  }

  /** Divider bits 6-4 = 010: the 32.768 kHz time base runs. */
  private dividerRunning(): boolean {
    return ((this.ram[REG_A]! >> 4) & 7) === 2;
  }

  private updateInProgress(): boolean {
    if (this.ram[REG_B]! & B_SET) return false;
    return this.options.clock.now() >= this.nextUpdateNs - UIP_NS;
  }

  /** Runs the update cycles and periodic ticks that virtual time has passed since the last look. */
  private sync(): void {
    const now = this.options.clock.now();
    while (this.nextUpdateNs <= now) {
      if (!(this.ram[REG_B]! & B_SET)) {
        this.advanceOneSecond();
        this.flags |= C_UF;
        if (this.alarmMatches()) this.flags |= C_AF;
      }
      this.nextUpdateNs += SECOND_NS;
    }
    const period = this.periodicNs();
    if (period !== Infinity && this.periodicIndex(now, period) > this.periodicIndex(this.periodicSeenNs, period)) {
      this.flags |= C_PF;
    }
  }

  /** Rate bits 3-0: none, 3.90625 ms, 7.8125 ms, then 2^(r-1) time-base periods (122 us ... 500 ms). */
  private periodicNs(): number {
    const rate = this.ram[REG_A]! & 0x0f;
    if (rate === 0 || !this.dividerRunning()) return Infinity;
    return TIMEBASE_NS * 2 ** ((rate < 3 ? rate + 7 : rate) - 1);
  }

  private periodicIndex(ns: number, period: number): number {
    return Math.floor((ns - this.phaseNs) / period);
  }

  private advanceOneSecond(): void {
    if (++this.second < 60) return;
    this.second = 0;
    if (++this.minute < 60) return;
    this.minute = 0;
    if (++this.hour < 24) return;
    this.hour = 0;
    this.weekday = (this.weekday % 7) + 1;
    if (++this.day <= daysInMonth(this.century * 100 + this.year, this.month)) return;
    this.day = 1;
    if (++this.month <= 12) return;
    this.month = 1;
    if (++this.year <= 99) return;
    this.year = 0;
    // PC chipsets carry into the century byte; the MC146818 itself has none.
    this.century = (this.century + 1) % 100;
  }

  /** Alarm bytes are compared as written; 0xC0-0xFF means "any". */
  private alarmMatches(): boolean {
    const match = (reg: number, current: number) => (this.ram[reg]! & 0xc0) === 0xc0 || this.ram[reg] === current;
    return match(0x01, this.encode(this.second)) && match(0x03, this.encode(this.minute)) && match(0x05, this.encodeHour());
  }

  private binary(): boolean {
    return (this.ram[REG_B]! & B_BINARY) !== 0;
  }

  private encode(value: number): number {
    return this.binary() ? value : toBcd(value);
  }

  private decode(value: number): number {
    return this.binary() ? value : ((value >> 4) & 0xf) * 10 + (value & 0xf);
  }

  private encodeHour(): number {
    if (this.ram[REG_B]! & B_24H) return this.encode(this.hour);
    const twelve = this.hour % 12 === 0 ? 12 : this.hour % 12;
    return this.encode(twelve) | (this.hour >= 12 ? 0x80 : 0);
  }

  private decodeHour(value: number): number {
    if (this.ram[REG_B]! & B_24H) return this.decode(value);
    return (this.decode(value & 0x7f) % 12) + (value & 0x80 ? 12 : 0);
  }

  /** IRQF: a flag is set whose interrupt is enabled. */
  private interruptRequested(): boolean {
    const b = this.ram[REG_B]!;
    return ((this.flags & C_PF && b & B_PIE) || (this.flags & C_AF && b & B_AIE) || (this.flags & C_UF && b & B_UIE)) !== 0;
  }

  private updateIrq(): void {
    const level = this.interruptRequested();
    if (level === this.irqLevel) return;
    this.irqLevel = level;
    if (level) this.options.irq8.raise();
    else this.options.irq8.lower();
  }

  /** Schedules the next instant an enabled interrupt could fire; none while IRQF is already set. */
  private schedule(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.irqLevel) return;
    const b = this.ram[REG_B]!;
    let next = Infinity;
    const period = this.periodicNs();
    if (b & B_PIE && period !== Infinity) {
      next = this.phaseNs + (this.periodicIndex(this.options.clock.now(), period) + 1) * period;
    }
    if (b & (B_UIE | B_AIE)) next = Math.min(next, this.nextUpdateNs);
    if (next === Infinity) return;
    this.timer = this.options.clock.at(Math.ceil(next), () => {
      this.timer = null;
      this.sync();
      this.updateIrq();
      this.schedule();
    });
  }

  /** CMOS bytes a BIOS and kernels read for the memory size, plus the standard checksum. */
  private fillMemorySize(ramBytes: number): void {
    const kib = Math.floor(ramBytes / 1024);
    const base = Math.min(kib, 640);
    const extended = Math.min(Math.max(kib - 1024, 0), 0xffff);
    const above16m = Math.min(Math.max(Math.floor((Math.min(ramBytes, 0xffffffff) - 16 * 2 ** 20) / 65536), 0), 0xffff);
    const put16 = (at: number, v: number) => {
      this.ram[at] = v & 0xff;
      this.ram[at + 1] = v >> 8;
    };
    put16(0x15, base);
    put16(0x17, extended);
    put16(0x30, extended);
    put16(0x34, above16m);
    // Equipment byte: math coprocessor present, VGA, no diskette drives.
    this.ram[0x14] = 0x02;
    let sum = 0;
    for (let i = 0x10; i <= 0x2d; i++) sum += this.ram[i]!;
    this.ram[0x2e] = (sum >> 8) & 0xff;
    this.ram[0x2f] = sum & 0xff;
  }
}

/** Throws a RangeError naming the bad field instead of letting a wrong option show up as a strange date. */
function checkOptions(ramBytes: number, t: CalendarTime): void {
  if (!Number.isSafeInteger(ramBytes) || ramBytes < 0) {
    throw new RangeError(`CMOS RTC: RAM size must be a whole number of bytes, not ${ramBytes}`);
  }
  const fields: [keyof CalendarTime, number, number][] = [
    ['year', 1900, 2099],
    ['month', 1, 12],
    ['day', 1, 31],
    ['hour', 0, 23],
    ['minute', 0, 59],
    ['second', 0, 59],
  ];
  for (const [field, min, max] of fields) {
    const v = t[field];
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new RangeError(`CMOS RTC: start ${field} must be an integer from ${min} to ${max}, not ${v}`);
    }
  }
  if (t.day > daysInMonth(t.year, t.month)) {
    throw new RangeError(`CMOS RTC: ${t.year}-${t.month} has no day ${t.day}`);
  }
}

function toBcd(value: number): number {
  return (Math.floor(value / 10) % 10 << 4) | value % 10;
}

/** Days since 1970-01-01 of a proleptic Gregorian date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
