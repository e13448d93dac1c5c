// The PC's 64 KiB I/O port space. Devices attach their port ranges once, at start-up; an access
// is routed through a 64 Ki-entry table, so the cost per in/out is one array load.

import type { PortIo } from '../interfaces.ts';
import type { AccessSize, PortDevice } from './port-device.ts';

const NO_DEVICE = 0xffff;
const RECENT = 64;
const WRITE_FLAG = 1 << 16;
const WIDTH_BIT: Record<AccessSize, number> = { 1: 1, 2: 2, 4: 4 };

/** One unmapped byte access, kept for diagnostics (wider accesses are counted per byte). */
export interface UnmappedAccess {
  readonly port: number;
  readonly size: 1;
  readonly kind: 'read' | 'write';
}

/** The port space: each port decoded by at most one device, unmapped ports reading all ones. */
export class IoBus implements PortIo {
  private readonly devices: PortDevice[] = [];
  private readonly owner = new Uint16Array(0x10000).fill(NO_DEVICE);
  /** Bit n set: the owning device answers accesses of width n directly at this port. */
  private readonly widths = new Uint8Array(0x10000);
  private unmappedWriteCount = 0;
  private unmappedReadCount = 0;
  /** A ring of the last RECENT unmapped accesses: port | size << 16 | (write ? 1 << 19 : 0). */
  private readonly recentUnmapped = new Uint32Array(RECENT);

  /** Attaches a device; throws, naming both devices, if any of its ports is already taken. */
  attach(device: PortDevice): void {
    for (const range of device.ports) {
      if (!Number.isInteger(range.first) || !Number.isInteger(range.last) || range.first < 0 ||
          range.last > 0xffff || range.first > range.last) {
        throw new RangeError(`I/O bus: ${device.name} declares an invalid port range ${hex(range.first)}-${hex(range.last)}`);
      }
      for (let port = range.first; port <= range.last; port++) {
        const other = this.owner[port]!;
        if (other !== NO_DEVICE) {
          throw new Error(
            `I/O bus: ${device.name} wants port ${hex(port)}, which ${this.devices[other]!.name} already decodes`,
          );
        }
      }
    }
    const index = this.devices.length;
    this.devices.push(device);
    for (const range of device.ports) {
      let mask = 1;
      for (const w of range.widths ?? [1]) mask |= WIDTH_BIT[w];
      for (let port = range.first; port <= range.last; port++) {
        this.owner[port] = index;
        this.widths[port] = mask;
      }
    }
  }

  /** Reads like the CPU's `in`: a device answering this width gets the whole access, otherwise byte cycles at port, port+1, ... assemble the value little-endian. */
  read(port: number, size: AccessSize): number {
    port &= 0xffff;
    const index = this.owner[port]!;
    if (index !== NO_DEVICE && (this.widths[port]! & size) !== 0) {
      const v = this.devices[index]!.read(port, size);
      return size === 4 ? v >>> 0 : v & (size === 1 ? 0xff : 0xffff);
    }
    if (size === 1) {
      this.noteUnmapped(port, 'read');
      return 0xff;
    }
    let value = 0;
    for (let i = 0; i < size; i++) value |= this.read((port + i) & 0xffff, 1) << (8 * i);
    return value >>> 0;
  }

  /** Writes like the CPU's `out`, splitting an access the device cannot take into byte cycles. */
  write(port: number, size: AccessSize, value: number): void {
    port &= 0xffff;
    const index = this.owner[port]!;
    if (index !== NO_DEVICE && (this.widths[port]! & size) !== 0) {
      this.devices[index]!.write(port, size, size === 4 ? value >>> 0 : value & (size === 1 ? 0xff : 0xffff));
      return;
    }
    if (size === 1) {
      this.noteUnmapped(port, 'write');
      return;
    }
    for (let i = 0; i < size; i++) this.write((port + i) & 0xffff, 1, (value >>> (8 * i)) & 0xff);
  }

  /** The name of the device decoding `port`, or null. */
  deviceAt(port: number): string | null {
    const index = this.owner[port & 0xffff]!;
    return index === NO_DEVICE ? null : this.devices[index]!.name;
  }

  /** How many byte writes went to ports no device decodes. */
  get unmappedWrites(): number {
    return this.unmappedWriteCount;
  }

  /** How many byte reads came from ports no device decodes (they read 0xFF). */
  get unmappedReads(): number {
    return this.unmappedReadCount;
  }

  /** The most recent unmapped byte accesses (at most 64), oldest first. */
  recentUnmappedAccesses(): UnmappedAccess[] {
    const total = this.unmappedReadCount + this.unmappedWriteCount;
    const result: UnmappedAccess[] = [];
    for (let i = Math.max(0, total - RECENT); i < total; i++) {
      const entry = this.recentUnmapped[i % RECENT]!;
      result.push({ port: entry & 0xffff, size: 1, kind: entry & WRITE_FLAG ? 'write' : 'read' });
    }
    return result;
  }

  private noteUnmapped(port: number, kind: 'read' | 'write'): void {
    const slot = (this.unmappedReadCount + this.unmappedWriteCount) % RECENT;
    this.recentUnmapped[slot] = port | (kind === 'write' ? WRITE_FLAG : 0);
    if (kind === 'write') this.unmappedWriteCount++;
    else this.unmappedReadCount++;
  }
}

function hex(port: number): string {
  return `0x${port.toString(16).toUpperCase().padStart(4, '0')}`;
}
