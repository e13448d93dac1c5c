// What the i386 kernel reaches of the machine: guest memory, the I/O ports and virtual time.
// The front end that assembles a PC and this kernel provides it; nothing else of the machine
// is visible here.
import type { PortIo } from '../../../machine/interfaces.ts';
import type { VirtualClock } from '../../time/clock.ts';

/** The physical address space, for device memory such as the VGA text buffer. */
export interface PhysicalBus {
  read8(pa: number): number;
  write8(pa: number, value: number): void;
}

/** The machine as the kernel sees it. */
export interface Platform {
  /** Guest RAM: byte i is physical address i. */
  readonly ram: Uint8Array;
  /** Reports that the kernel wrote [pa, pa + length) of RAM, so the CPU drops what it cached of it. */
  readonly ramWritten: (pa: number, length: number) => void;
  readonly physical: PhysicalBus;
  readonly io: PortIo;
  readonly clock: VirtualClock;
}

/** Register numbers of the bridge's register file (the x86 encoding order). */
export const Reg = { EAX: 0, ECX: 1, EDX: 2, EBX: 3, ESP: 4, EBP: 5, ESI: 6, EDI: 7 } as const;
