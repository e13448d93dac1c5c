// A bare CPU in long mode for instruction tests: the harness writes a GDT with 64-bit and
// compatibility code segments, a 64-bit TSS, an IDT of 16-byte gates whose every vector lands on
// its own `hlt`, and 4-level page tables (the first 4 GiB identity-mapped with 2 MiB pages, user
// and writable; the top 1 GiB of the address space aliasing physical 0 with a 1 GiB page), then
// runs a 32-bit stub that enters long mode the architectural way (CR4.PAE, EFER.LME, CR3, CR0.PG,
// far jump). The test's code is NASM `bits 64` at CODE.
import { CS, DS, ES, FS, GS, SS } from '../../machine/cpu/constants.ts';
import { Cpu, type StopReason } from '../../machine/cpu/cpu.ts';
import { fetched, readDescriptor, setSegCache } from '../../machine/cpu/segmentation.ts';
import { PhysicalMemory } from '../../machine/memory/physical.ts';
import { asm } from '../helpers/asm.ts';
import { CODE, gateDescriptor, segmentDescriptor, STUBS, TestInterrupts, TestIo } from './harness.ts';

export { CODE, STUBS };
export const GDT64 = 0x1000;
export const TSS64 = 0x50000;
export const IDT64 = 0x3000;
export const BOOT = 0x6000;
export const PML4 = 0x60000;
export const KERNEL_RSP = 0x8000;
export const TSS_RSP0 = 0x7000;
export const IST1_RSP = 0x6f00;
export const USER_RSP = 0x9000;
/** Linear base of the 1 GiB alias of physical memory at the top of the address space. */
export const HIGH_ALIAS = 0xffffffffc0000000n;

/** Selectors, laid out as Linux does so that STAR can describe them. */
export const SEL64 = { code64: 0x08, data0: 0x10, code32user: 0x1b, data3: 0x23, code64user: 0x2b, tss: 0x30, code32: 0x40, code16: 0x48 } as const;

export interface LongCpu {
  cpu: Cpu;
  mem: PhysicalMemory;
  io: TestIo;
  irq: TestInterrupts;
  logs: string[];
  run(max?: number): StopReason;
  /** The vector whose IDT stub the CPU halted in, or -1. */
  vector(): number;
  r64(n: number): bigint;
  setR64(n: number, v: bigint): void;
  rip(): bigint;
  read64(phys: number): bigint;
  write64(phys: number, v: bigint): void;
  /** Physical address of the page-table entry mapping `lin` at `level` (4 PML4 .. 2 PD). */
  entryAddress(lin: bigint, level: number): number;
}

export interface LongOptions {
  ring?: 0 | 3;
  vendor?: 'intel' | 'amd';
  ramSize?: number;
  /** EFER bits besides LME to set before paging is enabled (NXE 0x800, SCE 0x1). */
  efer?: number;
  /** 'compat': the test's code is `bits 32` run in a compatibility-mode code segment. */
  mode?: '64' | 'compat';
}

/** Assembles `source`, builds the long-mode world, enters long mode and stops at CODE; nothing is shared between calls. */
export function bare64(source: string | Uint8Array, opts: LongOptions = {}): LongCpu {
  const mem = new PhysicalMemory({ ramSize: opts.ramSize ?? 4 << 20 });
  const io = new TestIo();
  const irq = new TestInterrupts();
  const logs: string[] = [];
  const cpu = new Cpu({ memory: mem, io, interrupts: irq, vendor: opts.vendor ?? 'intel', log: (m) => logs.push(m) });
  const compat = opts.mode === 'compat';
  mem.load(CODE, typeof source === 'string' ? asm(source, { bits: compat ? 32 : 64, org: CODE }) : source);
  const write64 = (phys: number, v: bigint) => {
    mem.write32(phys, Number(v & 0xffffffffn) | 0);
    mem.write32(phys + 4, Number((v >> 32n) & 0xffffffffn) | 0);
  };
  const read64 = (phys: number) => (BigInt(mem.read32(phys + 4) >>> 0) << 32n) | BigInt(mem.read32(phys) >>> 0);
  const put = (i: number, [lo, hi]: [number, number]) => {
    mem.write32(GDT64 + i * 8, lo);
    mem.write32(GDT64 + i * 8 + 4, hi);
  };
  put(0, [0, 0]);
  put(1, segmentDescriptor(0, 0xfffff, 0x9a, 0xa));
  put(2, segmentDescriptor(0, 0xfffff, 0x92, 0xc));
  put(3, segmentDescriptor(0, 0xfffff, 0xfa, 0xc));
  put(4, segmentDescriptor(0, 0xfffff, 0xf2, 0xc));
  put(5, segmentDescriptor(0, 0xfffff, 0xfa, 0xa));
  // 64-bit TSS (type 0xB, busy): 16 bytes, the base's high half in the third dword.
  put(6, segmentDescriptor(TSS64, 0x67 + 0x2001, 0x8b, 0));
  put(7, [0, 0]);
  put(8, segmentDescriptor(0, 0xfffff, 0x9a, 0xc));
  put(9, segmentDescriptor(0, 0xffff, 0x9a, 0));
  for (let v = 0; v < 256; v++) {
    mem.write8(STUBS + v * 4, 0xf4);
    const [lo, hi] = gateDescriptor(SEL64.code64, STUBS + v * 4, 0xe, 3);
    mem.write32(IDT64 + v * 16, lo);
    mem.write32(IDT64 + v * 16 + 4, hi);
  }
  write64(TSS64 + 4, BigInt(TSS_RSP0));
  write64(TSS64 + 36, BigInt(IST1_RSP));
  mem.write16(TSS64 + 102, 104);
  for (let i = 0; i <= 0x2000; i++) mem.write8(TSS64 + 104 + i, 0xff);
  // PML4[0] -> PDPT (4 x 1 GiB -> 4 page directories of 2 MiB pages); PML4[511] -> PDPT whose last entry is a 1 GiB page at 0.
  const pdpt = PML4 + 0x1000, pdptHigh = PML4 + 0x2000, pd = PML4 + 0x3000;
  write64(PML4, BigInt(pdpt | 7));
  write64(PML4 + 511 * 8, BigInt(pdptHigh | 7));
  for (let g = 0; g < 4; g++) {
    write64(pdpt + g * 8, BigInt((pd + g * 0x1000) | 7));
    for (let e = 0; e < 512; e++) write64(pd + g * 0x1000 + e * 8, BigInt(g) * 0x40000000n + BigInt(e) * 0x200000n + 0x87n);
  }
  write64(pdptHigh + 511 * 8, 0x87n);
  mem.load(BOOT, asm(`
    mov eax, cr4
    or eax, 0x20
    mov cr4, eax
    mov ecx, 0xc0000080
    rdmsr
    or eax, 0x100 | ${opts.efer ?? 0}
    wrmsr
    mov eax, ${PML4}
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp ${SEL64.code64}:${BOOT + 0x100}`, { bits: 32, org: BOOT }));
  mem.write8(BOOT + 0x100, 0xf4);
  // A flat 32-bit protected-mode world to start from, as a loader would leave it.
  cpu.gdtBase = GDT64;
  cpu.gdtLimit = 10 * 8 - 1;
  cpu.idtBase = IDT64;
  cpu.idtLimit = 256 * 16 - 1;
  cpu.cr0 |= 1;
  const load = (seg: number, sel: number) => {
    readDescriptor(cpu, sel);
    setSegCache(cpu, seg, sel, fetched.lo, fetched.hi);
  };
  load(CS, SEL64.code32);
  for (const s of [DS, ES, SS, FS, GS]) load(s, SEL64.data0);
  cpu.segSel[7] = SEL64.tss;
  cpu.segBase[7] = TSS64;
  cpu.segLimit[7] = 0x67 + 0x2001;
  cpu.segAttr[7] = 0x8b;
  cpu.eip = BOOT;
  if (cpu.run(100) !== 'hlt' || cpu.mode64 !== 1) throw new Error(`long mode was not entered: ${cpu.shutdownReport ?? logs.join('; ')}`);
  cpu.halted = false;
  const ring = opts.ring ?? 0;
  if (ring === 3 || compat) {
    cpu.setCpl(ring);
    load(CS, compat ? (ring === 3 ? SEL64.code32user : SEL64.code32) : SEL64.code64user);
    for (const s of [DS, ES, SS, FS, GS]) load(s, ring === 3 ? SEL64.data3 : SEL64.data0);
  }
  cpu.regs[4] = ring === 3 ? USER_RSP : KERNEL_RSP;
  cpu.eip = CODE;
  const r64 = (n: number) => (BigInt(cpu.regsHi[n] >>> 0) << 32n) | BigInt(cpu.regs[n] >>> 0);
  return {
    cpu, mem, io, irq, logs,
    run: (max = 100_000) => cpu.run(max),
    vector: () => {
      const at = cpu.eip - 1 - STUBS;
      return cpu.ripHi === 0 && at >= 0 && at < 256 * 4 && at % 4 === 0 ? at / 4 : -1;
    },
    r64,
    setR64: (n, v) => {
      cpu.regs[n] = Number(BigInt.asUintN(64, v) & 0xffffffffn) | 0;
      cpu.regsHi[n] = Number(BigInt.asUintN(64, v) >> 32n) | 0;
    },
    rip: () => (BigInt(cpu.ripHi >>> 0) << 32n) | BigInt(cpu.eip >>> 0),
    read64,
    write64,
    entryAddress: (lin, level) => {
      let table = PML4;
      for (let l = 4; l >= level; l--) {
        const index = Number((lin >> BigInt(12 + 9 * (l - 1))) & 0x1ffn);
        if (l === level) return table + index * 8;
        table = Number(read64(table + index * 8) & 0xffffff000n);
      }
      return -1;
    },
  };
}
