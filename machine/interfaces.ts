// The narrow interfaces between the parts of the PC. A device sees only the ones it needs
// (a port range, an IRQ line, the clock), never the whole machine.

/** Port I/O as the CPU issues it: in/out of 1, 2 or 4 bytes. */
export interface PortIo {
  /** Reads `size` bytes at `port`; unmapped ports read as all ones. */
  read(port: number, size: 1 | 2 | 4): number;
  /** Writes the low `size` bytes of `value` to `port`; unmapped ports ignore it. */
  write(port: number, size: 1 | 2 | 4, value: number): void;
}

/** One interrupt request line from a device to the interrupt controller. */
export interface IrqLine {
  /** Drives the line high (asserted). */
  raise(): void;
  /** Drives the line low. */
  lower(): void;
}

/** The CPU's INTR pin and interrupt-acknowledge cycle, as the PIC presents them. */
export interface InterruptSource {
  /** Whether an unmasked request is waiting to be delivered. */
  pending(): boolean;
  /** The INTA cycle: returns the vector to deliver and updates the controller's state. */
  acknowledge(): number;
}

/** A handle on something scheduled on the clock. */
export interface Timer {
  cancel(): void;
}

/** Virtual time. It advances only with executed (or idle-halted) instructions, so runs repeat. */
export interface Clock {
  /** Nanoseconds of virtual time since power-on. */
  now(): number;
  /** Calls `fn` once when virtual time reaches `atNs` (at once on the next step if already past). */
  at(atNs: number, fn: () => void): Timer;
}

/** A device window in the physical address space (the VGA text buffer, a ROM). */
export interface MmioRegion {
  read8(offset: number): number;
  write8(offset: number, value: number): void;
}

/** The cursor of a text screen. */
export interface TextCursor {
  row: number;
  col: number;
  visible: boolean;
}

/** A text-mode screen as front ends and snapshot tests read it. */
export interface TextScreen {
  readonly cols: number;
  readonly rows: number;
  /** The cell at (row, col): character code in bits 0-7, attribute byte in bits 8-15. */
  cell(row: number, col: number): number;
  cursor(): TextCursor;
}
