// What a device offers the I/O bus: its name (for diagnostics), the ports it decodes and the
// access widths it answers to, and its read/write handlers.

/** Bytes moved by one in/out instruction. */
export type AccessSize = 1 | 2 | 4;

/** A contiguous range of ports decoded by one device. */
export interface PortRange {
  readonly first: number;
  readonly last: number;
  /** Widths the device answers directly; other widths are split into byte cycles by the bus. */
  readonly widths?: readonly AccessSize[];
}

/** A device on the I/O bus. `port` is always inside one of its ranges. */
export interface PortDevice {
  readonly name: string;
  readonly ports: readonly PortRange[];
  read(port: number, size: AccessSize): number;
  write(port: number, size: AccessSize, value: number): void;
}
