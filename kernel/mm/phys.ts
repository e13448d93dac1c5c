// Guest physical memory as the kernel sees it: the machine's RAM, a Uint8Array. The TypeScript
// kernel reads and writes it directly (it does not run on the emulated CPU, so it needs no
// mapping of its own); everything the CPU reads, such as page tables, lives here in its
// architectural format.

/** Little-endian access to guest physical memory. */
export class PhysicalMemory {
  readonly bytes: Uint8Array;
  private readonly view: DataView;

  constructor(bytes: Uint8Array) {
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
  }

  /** Fills `length` bytes at `pa` with zero. */
  zero(pa: number, length: number): void {
    this.bytes.fill(0, pa, pa + length);
  }

  /** Copies `length` bytes from physical `from` to physical `to`. */
  copy(to: number, from: number, length: number): void {
    this.bytes.copyWithin(to, from, from + length);
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
