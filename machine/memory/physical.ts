// The physical address space of the PC: RAM as one typed array, ROM images, device windows
// (MMIO) and the A20 gate. Addresses here are physical and already masked by A20.
import type { MmioRegion } from '../interfaces.ts';

/** What backs one 4 KiB physical page. */
export const PAGE_RAM = 0;
export const PAGE_UNMAPPED = 1;
export const PAGE_ROM = 2;
export const PAGE_MMIO = 3;

/** Largest RAM size accepted: physical RAM indexes must stay positive 31-bit integers. */
export const MAX_RAM = 1 << 30;

interface Window {
  base: number;
  size: number;
  /** ROM contents, or null for a device window. */
  rom: Uint8Array | null;
  device: MmioRegion | null;
}

/** Options for a new physical memory. */
export interface PhysicalMemoryOptions {
  /** RAM size in bytes, a multiple of 4 KiB, at most 1 GiB. */
  ramSize: number;
}

/** RAM, ROM and device windows, as the CPU and DMA-less loaders see them. */
export class PhysicalMemory {
  readonly ram: Uint8Array;
  readonly ramView: DataView;
  readonly ramSize: number;
  /** Bit 20 of every physical address is ANDed with this mask (A20 gate). */
  a20Mask = -1;
  private readonly kinds = new Uint8Array(1 << 20);
  private readonly windowOf = new Map<number, Window>();
  private readonly a20Listeners: Array<() => void> = [];
  /**
   * Per 4 KiB page: 1 while the CPU holds decoded instructions from it, so writes must tell it.
   * Every write to RAM goes through this class or the CPU's fast path, which both check it; the
   * flags and `onCodeWrite` serve the one CPU built on this memory.
   */
  readonly codePages = new Uint8Array(1 << 20);
  /** Told of every write to a RAM page flagged in `codePages` (physical address, byte count). */
  onCodeWrite: (phys: number, size: number) => void = () => {};

  /** Creates `ramSize` bytes of zeroed RAM at physical 0; everything else reads as 0xFF. */
  constructor(options: PhysicalMemoryOptions) {
    const size = options.ramSize;
    if (!Number.isInteger(size) || size <= 0 || size % 4096 !== 0 || size > MAX_RAM) {
      throw new RangeError(`RAM size must be a positive multiple of 4096 bytes up to ${MAX_RAM}, got ${size}`);
    }
    this.ramSize = size;
    this.ram = new Uint8Array(size);
    this.ramView = new DataView(this.ram.buffer);
    this.kinds.fill(PAGE_UNMAPPED);
    this.kinds.fill(PAGE_RAM, 0, size >>> 12);
  }

  /**
   * Tells the CPU that bytes [phys, phys + length) of RAM were changed by something other than
   * itself (a writer holding `ram` directly, like a bus master doing DMA), so that no decoded
   * instruction outlives the bytes it came from: caches stay coherent as on hardware.
   */
  externalWrite(phys: number, length: number): void {
    let at = phys >>> 0;
    const end = at + length;
    while (at < end) {
      const pageEnd = Math.min(end, ((at >>> 12) + 1) * 4096);
      if (this.codePages[at >>> 12] !== 0) this.onCodeWrite(at, pageEnd - at);
      at = pageEnd;
    }
  }

  /** The kind of page (PAGE_RAM, PAGE_ROM, ...) at physical address `phys`. */
  pageKind(phys: number): number {
    return this.kinds[phys >>> 12];
  }

  /** Maps a read-only image at `base` (page aligned); it hides any RAM beneath. */
  mapRom(base: number, image: Uint8Array): void {
    this.addWindow({ base: base >>> 0, size: image.length, rom: image, device: null }, PAGE_ROM);
  }

  /** Maps the system BIOS image at the end of the first MiB and at the top of the 4 GiB space. */
  mapBios(image: Uint8Array): void {
    if (image.length === 0 || image.length > 0x20000 || image.length % 4096 !== 0) {
      throw new RangeError(`BIOS image must be 4 KiB..128 KiB in 4 KiB steps, got ${image.length} bytes`);
    }
    this.mapRom(0x100000 - image.length, image);
    this.mapRom(0x100000000 - image.length, image);
  }

  /** Maps a device window of `size` bytes at `base` (both page aligned). */
  mapMmio(base: number, size: number, device: MmioRegion): void {
    this.addWindow({ base: base >>> 0, size, rom: null, device }, PAGE_MMIO);
  }

  private addWindow(w: Window, kind: number): void {
    if (w.base % 4096 !== 0 || w.size <= 0 || w.size % 4096 !== 0 || w.base + w.size > 0x100000000) {
      throw new RangeError(`window at 0x${w.base.toString(16)} size 0x${w.size.toString(16)} must be whole 4 KiB pages inside 4 GiB`);
    }
    for (let p = w.base >>> 12; p < (w.base + w.size) / 4096; p++) {
      this.kinds[p] = kind;
      this.windowOf.set(p, w);
    }
  }

  /** The array holding the page of `phys` when it can be read directly (RAM or ROM), else null. */
  directArray(phys: number): Uint8Array | null {
    const kind = this.kinds[phys >>> 12];
    if (kind === PAGE_RAM) return this.ram;
    if (kind === PAGE_ROM) return this.windowOf.get(phys >>> 12)!.rom;
    return null;
  }

  /** Index in directArray(phys) of the first byte of the page holding `phys`. */
  directOffset(phys: number): number {
    const page = (phys & ~0xfff) >>> 0;
    if (this.kinds[phys >>> 12] === PAGE_ROM) return page - this.windowOf.get(phys >>> 12)!.base;
    return page;
  }

  /** Enables or disables the A20 gate; listeners (the CPU's TLB) are told. */
  setA20(enabled: boolean): void {
    const mask = enabled ? -1 : ~(1 << 20);
    if (mask === this.a20Mask) return;
    this.a20Mask = mask;
    for (const listener of this.a20Listeners) listener();
  }

  /** Whether the A20 gate is enabled. */
  a20Enabled(): boolean {
    return this.a20Mask === -1;
  }

  /** Registers a function called whenever the A20 gate changes. */
  onA20Change(listener: () => void): void {
    this.a20Listeners.push(listener);
  }

  /** Reads one byte; unmapped space reads 0xFF. */
  read8(phys: number): number {
    phys >>>= 0;
    const kind = this.kinds[phys >>> 12];
    if (kind === PAGE_RAM) return this.ram[phys];
    if (kind === PAGE_UNMAPPED) return 0xff;
    const w = this.windowOf.get(phys >>> 12)!;
    if (w.rom) return w.rom[phys - w.base];
    return w.device!.read8(phys - w.base) & 0xff;
  }

  /** Writes one byte; writes to ROM and unmapped space are ignored. */
  write8(phys: number, value: number): void {
    phys >>>= 0;
    const kind = this.kinds[phys >>> 12];
    if (kind === PAGE_RAM) {
      this.ram[phys] = value;
      if (this.codePages[phys >>> 12] !== 0) this.onCodeWrite(phys, 1);
    } else if (kind === PAGE_MMIO) {
      const w = this.windowOf.get(phys >>> 12)!;
      w.device!.write8(phys - w.base, value & 0xff);
    }
  }

  /** Reads a little-endian 16-bit value. */
  read16(phys: number): number {
    return this.read8(phys) | (this.read8(phys + 1) << 8);
  }

  /** Reads a little-endian 32-bit value as a signed 32-bit integer. */
  read32(phys: number): number {
    phys >>>= 0;
    if (this.kinds[phys >>> 12] === PAGE_RAM && (phys & 0xfff) <= 0xffc) return this.ramView.getInt32(phys, true);
    return this.read8(phys) | (this.read8(phys + 1) << 8) | (this.read8(phys + 2) << 16) | (this.read8(phys + 3) << 24);
  }

  /** Writes a little-endian 16-bit value. */
  write16(phys: number, value: number): void {
    this.write8(phys, value);
    this.write8(phys + 1, value >>> 8);
  }

  /** Writes a little-endian 32-bit value. */
  write32(phys: number, value: number): void {
    phys >>>= 0;
    if (this.kinds[phys >>> 12] === PAGE_RAM && (phys & 0xfff) <= 0xffc) {
      this.ramView.setInt32(phys, value, true);
      if (this.codePages[phys >>> 12] !== 0) this.onCodeWrite(phys, 4);
      return;
    }
    this.write8(phys, value);
    this.write8(phys + 1, value >>> 8);
    this.write8(phys + 2, value >>> 16);
    this.write8(phys + 3, value >>> 24);
  }

  /** Copies `bytes` into physical memory at `phys` (loaders); ROM and unmapped bytes are skipped. */
  load(phys: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.write8(phys + i, bytes[i]);
  }

  /** Copies `length` bytes out of physical memory starting at `phys`. */
  readBytes(phys: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.read8(phys + i);
    return out;
  }
}
