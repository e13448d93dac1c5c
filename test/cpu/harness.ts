// A bare CPU for instruction and system tests: RAM, a recording I/O bus and interrupt line,
// code loaded at an origin, and optionally a flat protected-mode world (GDT, IDT whose every
// vector lands on its own `hlt`, TSS) written into memory in the architectural binary format.
import { CS, DS, ES, FS, GS, SS, TR } from '../../machine/cpu/constants.ts';
import { Cpu, type StopReason } from '../../machine/cpu/cpu.ts';
import { loadSegReal, readDescriptor, fetched, setSegCache } from '../../machine/cpu/segmentation.ts';
import type { InterruptSource, PortIo } from '../../machine/interfaces.ts';
import { PhysicalMemory } from '../../machine/memory/physical.ts';
import { asm } from '../helpers/asm.ts';

export const GDT = 0x1000;
export const IDT = 0x1800;
export const TSS = 0x2000;
export const STUBS = 0x5000;
export const KERNEL_STACK = 0x8000;
export const TSS_ESP0 = 0x7000;
export const USER_STACK = 0x9000;
export const CODE = 0x10000;

/** Selectors of the flat world. */
export const SEL = { code0: 0x08, data0: 0x10, code3: 0x1b, data3: 0x23, tss: 0x28, code16: 0x30, data16: 0x38 } as const;

/** A recording I/O bus: reads answer from `inputs` (else all ones), writes are logged. */
export class TestIo implements PortIo {
  readonly writes: Array<[number, number, number]> = [];
  readonly inputs = new Map<number, number>();
  read(port: number, size: 1 | 2 | 4): number {
    return this.inputs.get(port) ?? (size === 4 ? 0xffffffff : (1 << (size * 8)) - 1);
  }
  write(port: number, size: 1 | 2 | 4, value: number): void {
    this.writes.push([port, size, value]);
  }
}

/** An interrupt line tests can raise: `acknowledge` hands out queued vectors. */
export class TestInterrupts implements InterruptSource {
  readonly queue: number[] = [];
  pending(): boolean {
    return this.queue.length > 0;
  }
  acknowledge(): number {
    return this.queue.shift() ?? 0xff;
  }
}

/** Encodes a segment descriptor. */
export function segmentDescriptor(base: number, limit: number, access: number, flags: number): [number, number] {
  const lo = ((base & 0xffff) << 16) | (limit & 0xffff);
  const hi = (base & 0xff000000) | ((flags & 0xf) << 20) | (limit & 0xf0000) | ((access & 0xff) << 8) | ((base >>> 16) & 0xff);
  return [lo | 0, hi | 0];
}

/** Encodes a gate (interrupt, trap, call, task). */
export function gateDescriptor(selector: number, offset: number, type: number, dpl: number, params = 0): [number, number] {
  const lo = ((selector & 0xffff) << 16) | (offset & 0xffff);
  const hi = (offset & 0xffff0000) | 0x8000 | (dpl << 13) | (type << 8) | (params & 0x1f);
  return [lo | 0, hi | 0];
}

export interface BareCpu {
  cpu: Cpu;
  mem: PhysicalMemory;
  io: TestIo;
  irq: TestInterrupts;
  logs: string[];
  /** Runs until hlt (or the budget) and returns why it stopped. */
  run(max?: number): StopReason;
  /** The vector whose IDT stub the CPU halted in, or -1. */
  vector(): number;
  /** Reads a 32-bit value at a physical address. */
  read32(phys: number): number;
  writeDescriptor(table: number, index: number, words: [number, number]): void;
}

export interface BareOptions {
  bits?: 16 | 32;
  org?: number;
  /** 'real' (CS=0 at org), or 'flat' (protected mode, ring 0 or 3, flat segments). */
  mode?: 'real' | 'flat';
  ring?: 0 | 3;
  ramSize?: number;
  vendor?: 'intel' | 'amd';
  /** false: a part without SYSENTER/SYSEXIT. */
  sep?: boolean;
}

/** Assembles `source` (or takes machine code), loads it into a fresh machine and prepares the mode; nothing is shared between calls. */
export function bare(source: string | Uint8Array, opts: BareOptions = {}): BareCpu {
  const mode = opts.mode ?? 'flat';
  const bits = opts.bits ?? (mode === 'real' ? 16 : 32);
  const org = opts.org ?? (mode === 'real' ? 0x7c00 : CODE);
  const mem = new PhysicalMemory({ ramSize: opts.ramSize ?? 4 << 20 });
  const io = new TestIo();
  const irq = new TestInterrupts();
  const logs: string[] = [];
  const cpu = new Cpu({ memory: mem, io, interrupts: irq, vendor: opts.vendor ?? 'intel', sep: opts.sep, log: (m) => logs.push(m) });
  mem.load(org, typeof source === 'string' ? asm(source, { bits, org }) : source);
  const writeDescriptor = (table: number, index: number, [lo, hi]: [number, number]) => {
    mem.write32(table + index * 8, lo);
    mem.write32(table + index * 8 + 4, hi);
  };
  if (mode === 'real') {
    loadSegReal(cpu, CS, 0);
    for (const s of [DS, ES, SS, FS, GS]) loadSegReal(cpu, s, 0);
    cpu.regs[4] = 0x7000;
    cpu.eip = org;
  } else {
    buildFlatWorld(cpu, mem, writeDescriptor, opts.ring ?? 0);
    cpu.eip = org;
  }
  return {
    cpu,
    mem,
    io,
    irq,
    logs,
    run: (max = 100_000) => cpu.run(max),
    vector: () => {
      const at = cpu.eip - 1 - STUBS;
      return at >= 0 && at < 256 * 4 && at % 4 === 0 && cpu.protectedMode() ? at / 4 : -1;
    },
    read32: (phys) => mem.read32(phys) >>> 0,
    writeDescriptor,
  };
}

function buildFlatWorld(cpu: Cpu, mem: PhysicalMemory, put: (t: number, i: number, w: [number, number]) => void, ring: number): void {
  put(GDT, 0, [0, 0]);
  put(GDT, 1, segmentDescriptor(0, 0xfffff, 0x9a, 0xc));
  put(GDT, 2, segmentDescriptor(0, 0xfffff, 0x92, 0xc));
  put(GDT, 3, segmentDescriptor(0, 0xfffff, 0xfa, 0xc));
  put(GDT, 4, segmentDescriptor(0, 0xfffff, 0xf2, 0xc));
  // The TSS descriptor is busy, as ltr leaves it (TR is loaded below without running ltr).
  put(GDT, 5, segmentDescriptor(TSS, 0x67 + 0x2000 / 8 + 1, 0x8b, 0));
  put(GDT, 6, segmentDescriptor(0, 0xffff, 0x9a, 0));
  put(GDT, 7, segmentDescriptor(0, 0xffff, 0x92, 0));
  // Every vector: a 32-bit interrupt gate (DPL 3, so int n works from ring 3) to its own hlt.
  for (let v = 0; v < 256; v++) {
    mem.write8(STUBS + v * 4, 0xf4);
    put(IDT, v, gateDescriptor(SEL.code0, STUBS + v * 4, 0xe, 3));
  }
  mem.write32(TSS + 4, TSS_ESP0);
  mem.write32(TSS + 8, SEL.data0);
  // I/O bitmap right after the 104-byte TSS: all ports denied.
  mem.write16(TSS + 102, 104);
  for (let i = 0; i < 0x2000; i++) mem.write8(TSS + 104 + i, 0xff);
  mem.write8(TSS + 104 + 0x2000, 0xff);
  cpu.gdtBase = GDT;
  cpu.gdtLimit = 8 * 8 - 1;
  cpu.idtBase = IDT;
  cpu.idtLimit = 256 * 8 - 1;
  cpu.cr0 |= 1;
  const load = (seg: number, sel: number) => {
    readDescriptor(cpu, sel);
    setSegCache(cpu, seg, sel, fetched.lo, fetched.hi);
  };
  load(TR, SEL.tss);
  const code = ring === 3 ? SEL.code3 : SEL.code0;
  const data = ring === 3 ? SEL.data3 : SEL.data0;
  cpu.setCpl(ring);
  load(CS, code);
  for (const s of [DS, ES, SS, FS, GS]) load(s, data);
  cpu.regs[4] = ring === 3 ? USER_STACK : KERNEL_STACK;
}
