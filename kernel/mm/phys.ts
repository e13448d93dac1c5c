// Guest physical memory as the kernel sees it: the machine's RAM, a Uint8Array. The TypeScript
// kernel reads and writes it directly (it does not run on the emulated CPU, so it needs no
// mapping of its own); everything the CPU reads, such as page tables, lives here in its
// architectural format.

/** Little-endian access to guest physical memory. */
export class PhysicalMemory {
  /** For reading; every write goes through the methods below, which report it. */
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  /**
   * `written` hears of every write (physical address, length): the machine uses it to keep the
   * CPU's decoded-instruction cache coherent, since the kernel writes RAM without the CPU.
   */
  constructor(bytes: Uint8Array, private readonly written: (pa: number, length: number) => void = () => {}) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Size of RAM in bytes. */
  get size(): number {
    return this.bytes.byteLength;
  }

  /** Reads the dword at physical address `pa` (must be inside RAM). */
  read32(pa: number): number {
    return this.view.getUint32(pa, true);
  }

  /** Writes the dword at physical address `pa` (must be inside RAM). */
  write32(pa: number, value: number): void {
    this.view.setUint32(pa, value >>> 0, true);
    this.written(pa, 4);
  }

  /** Writes the byte at physical address `pa` (must be inside RAM). */
  write8(pa: number, value: number): void {
    this.bytes[pa] = value;
    this.written(pa, 1);
  }

  /** Copies `data` to physical address `pa` (the whole range must be inside RAM). */
  set(pa: number, data: Uint8Array): void {
    this.bytes.set(data, pa);
    this.written(pa, data.byteLength);
  }

  /** Fills `length` bytes at `pa` with `value` (zero by default). */
  fill(pa: number, length: number, value = 0): void {
    this.bytes.fill(value, pa, pa + length);
    this.written(pa, length);
  }

  /** Fills `length` bytes at `pa` with zero. */
  zero(pa: number, length: number): void {
    this.fill(pa, length);
  }

  /** Copies `length` bytes from physical `from` to physical `to`. */
  copy(to: number, from: number, length: number): void {
    this.bytes.copyWithin(to, from, from + length);
    this.written(to, length);
  }
}

/** The page size of every architecture the kernel supports. */
export const PAGE_SIZE = 4096;

/** `value` rounded up to a page boundary. */
export function pageUp(value: number): number {
  return Math.ceil(value / PAGE_SIZE) * PAGE_SIZE;
}

/** `value` rounded down to a page boundary. */
export function pageDown(value: number): number {
  return Math.floor(value / PAGE_SIZE) * PAGE_SIZE;
}
