// The descriptor tables in their architectural binary formats (Intel SDM vol. 3A, 3.4.5
// "Segment Descriptors", 6.11 "IDT Descriptors", 7.2.1 "Task-State Segment"), written into guest
// memory where the CPU reads them.
import type { PhysicalMemory } from '../../mm/phys.ts';
import { Gdt, IRQ_BASE } from './layout.ts';

/** Access bytes: present, DPL, code/data or system type. */
const ACCESS = { KERNEL_CODE: 0x9a, KERNEL_DATA: 0x92, USER_CODE: 0xfa, USER_DATA: 0xf2, TSS_AVAILABLE: 0x89 } as const;
/** Flags nibble: granularity 4 KiB and 32-bit default size. */
const FLAT_FLAGS = 0xc;

/** Writes an 8-byte segment descriptor. */
function writeSegment(mem: PhysicalMemory, at: number, base: number, limit: number, access: number, flags: number): void {
  mem.write32(at, ((base & 0xffff) << 16) | (limit & 0xffff));
  mem.write32(at + 4, (base & 0xff000000) | ((flags & 0xf) << 20) | (limit & 0xf0000) | (access << 8) | ((base >>> 16) & 0xff));
}

/** Bytes of the 32-bit TSS before the I/O bitmap. */
export const TSS_HEADER_BYTES = 104;
/** One bit per port, 65536 ports. */
export const IO_BITMAP_BYTES = 8192;
/** TSS limit: header, bitmap, and the 0xFF byte the CPU may read past the bitmap's end. */
export const TSS_LIMIT = TSS_HEADER_BYTES + IO_BITMAP_BYTES;

/** The call gate's target: the stub's offset in the kernel code segment and the dwords it copies. */
export interface CallGateTarget {
  readonly offset: number;
  readonly params: number;
}

/**
 * Writes the GDT at physical `pa`: null, kernel code, kernel data, user code, user data (flat
 * 4 GiB segments in the consecutive order SYSENTER/SYSEXIT derive from SYSENTER_CS), the TSS
 * descriptor (at linear `tssBase`), and the call gate to `callGate` (DPL 3; a null slot without one).
 */
export function writeGdt(mem: PhysicalMemory, pa: number, tssBase: number, callGate?: CallGateTarget): void {
  mem.zero(pa, Gdt.ENTRIES * 8);
  writeSegment(mem, pa + Gdt.KERNEL_CS, 0, 0xfffff, ACCESS.KERNEL_CODE, FLAT_FLAGS);
  writeSegment(mem, pa + Gdt.KERNEL_DS, 0, 0xfffff, ACCESS.KERNEL_DATA, FLAT_FLAGS);
  writeSegment(mem, pa + (Gdt.USER_CS & ~7), 0, 0xfffff, ACCESS.USER_CODE, FLAT_FLAGS);
  writeSegment(mem, pa + (Gdt.USER_DS & ~7), 0, 0xfffff, ACCESS.USER_DATA, FLAT_FLAGS);
  writeSegment(mem, pa + Gdt.TSS, tssBase, TSS_LIMIT, ACCESS.TSS_AVAILABLE, 0);
  if (callGate) writeGate(mem, pa + Gdt.CALL_GATE, callGate.offset, CALL_GATE, 3, callGate.params);
}

/**
 * Writes the TSS at physical `pa`: SS0 = kernel data, ESP0 = `esp0`, and an I/O permission
 * bitmap with every bit set, so ring 3 (IOPL 0) gets #GP on any in/out.
 */
export function writeTss(mem: PhysicalMemory, pa: number, esp0: number): void {
  mem.zero(pa, TSS_HEADER_BYTES);
  setTssEsp0(mem, pa, esp0);
  mem.write32(pa + 8, Gdt.KERNEL_DS);
  mem.write32(pa + 100, TSS_HEADER_BYTES << 16); // I/O map base in the high word; T bit clear
  mem.fill(pa + TSS_HEADER_BYTES, TSS_LIMIT + 1 - TSS_HEADER_BYTES, 0xff);
}

/** Sets the stack the CPU switches to on entry from ring 3. */
export function setTssEsp0(mem: PhysicalMemory, pa: number, esp0: number): void {
  mem.write32(pa + 4, esp0);
}

/** Gate types: an interrupt gate clears IF on entry, a trap gate leaves it; a call gate (GDT only) copies `params` dwords. */
const CALL_GATE = 0xc;
const INTERRUPT_GATE = 0xe;
const TRAP_GATE = 0xf;

/** Writes a 32-bit gate to KERNEL_CS:offset (SDM vol. 3A, 5.8.3 and 6.11); `params` is the call gate's parameter count. */
function writeGate(mem: PhysicalMemory, at: number, offset: number, type: number, dpl: number, params = 0): void {
  mem.write32(at, (Gdt.KERNEL_CS << 16) | (offset & 0xffff));
  mem.write32(at + 4, (offset & 0xffff0000) | 0x8000 | (dpl << 13) | (type << 8) | (params & 0x1f));
}

/** The exceptions of vectors 0-31: mnemonic and name (reserved vectors have neither). */
export const EXCEPTIONS: ReadonlyArray<{ readonly mnemonic: string; readonly name: string } | null> = [
  { mnemonic: '#DE', name: 'divide error' },
  { mnemonic: '#DB', name: 'debug' },
  { mnemonic: 'NMI', name: 'non-maskable interrupt' },
  { mnemonic: '#BP', name: 'breakpoint' },
  { mnemonic: '#OF', name: 'overflow' },
  { mnemonic: '#BR', name: 'BOUND range exceeded' },
  { mnemonic: '#UD', name: 'invalid opcode' },
  { mnemonic: '#NM', name: 'device not available' },
  { mnemonic: '#DF', name: 'double fault' },
  { mnemonic: 'CSO', name: 'coprocessor segment overrun' },
  { mnemonic: '#TS', name: 'invalid TSS' },
  { mnemonic: '#NP', name: 'segment not present' },
  { mnemonic: '#SS', name: 'stack-segment fault' },
  { mnemonic: '#GP', name: 'general protection fault' },
  { mnemonic: '#PF', name: 'page fault' },
  null,
  { mnemonic: '#MF', name: 'x87 floating-point error' },
  { mnemonic: '#AC', name: 'alignment check' },
  { mnemonic: '#MC', name: 'machine check' },
  { mnemonic: '#XM', name: 'SIMD floating-point exception' },
  { mnemonic: '#VE', name: 'virtualization exception' },
  ...Array.from({ length: 11 }, () => null),
];

/** Number of IDT entries: all 256 vectors (those without a stub are not present). */
export const IDT_ENTRIES = 256;

/** A system-call vector and its stub's address. */
export interface SyscallVector {
  readonly vector: number;
  readonly offset: number;
}

/** The exceptions ring 3 may raise with an instruction, as Linux allows: `int3` (#BP) and `into` (#OF). */
export const USER_VECTORS: readonly number[] = [3, 4];

/**
 * Writes the IDT at physical `pa` from the stub addresses (`stubs[v]` for v in 0-31, then the 16
 * IRQs) and the system-call vectors: exceptions and IRQs as interrupt gates (IF cleared, so the
 * stubs run uninterrupted; DPL 0, but 3 for int3 and into, so that a program's breakpoint is a
 * SIGTRAP and not a #GP), system calls (int 0x80...) as DPL 3 trap gates (ring 3 may use them;
 * interrupts stay on). Every other vector is not present.
 */
export function writeIdt(mem: PhysicalMemory, pa: number, stubs: readonly number[], syscalls: readonly SyscallVector[]): void {
  mem.zero(pa, IDT_ENTRIES * 8);
  for (let v = 0; v < 32; v++) writeGate(mem, pa + v * 8, stubs[v]!, INTERRUPT_GATE, USER_VECTORS.includes(v) ? 3 : 0);
  for (let irq = 0; irq < 16; irq++) writeGate(mem, pa + (IRQ_BASE + irq) * 8, stubs[32 + irq]!, INTERRUPT_GATE, 0);
  for (const { vector, offset } of syscalls) writeGate(mem, pa + vector * 8, offset, TRAP_GATE, 3);
}

/** Writes a pseudo-descriptor (the lgdt/lidt operand: 16-bit limit, 32-bit base) at `pa`. */
export function writePseudoDescriptor(mem: PhysicalMemory, pa: number, base: number, limit: number): void {
  mem.write8(pa, limit & 0xff);
  mem.write8(pa + 1, (limit >>> 8) & 0xff);
  mem.write32(pa + 2, base);
}
