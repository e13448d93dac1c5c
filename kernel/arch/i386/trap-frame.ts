// The i386 trap frame (Linux's struct pt_regs) as the entry stubs leave it on the kernel stack:
// the CPU pushes ss, esp, eflags, cs, eip (ss and esp only on a privilege change); the stub
// pushes orig_eax (the syscall number), then gs, fs, es, ds, eax, ebp, edi, esi, edx, ecx, ebx
// (SAVE_ALL), so ebx ends up at the lowest address. The kernel reads and writes it in guest
// memory through this view.
import type { PhysicalMemory } from '../../mm/phys.ts';
import { KERNEL_BASE } from './address-space.ts';

/** Byte offsets of the saved registers from the frame's start (its lowest address). */
export const PtRegs = {
  ebx: 0, ecx: 4, edx: 8, esi: 12, edi: 16, ebp: 20, eax: 24,
  ds: 28, es: 32, fs: 36, gs: 40,
  /** The syscall number as the user passed it (eax at entry); eax itself becomes the result. */
  orig_eax: 44,
  eip: 48, cs: 52, eflags: 56,
  /** User stack pointer and segment: pushed by the CPU only when entering from ring 3. */
  esp: 60, ss: 64,
} as const;

/** Size of a frame entered from ring 3. */
export const PT_REGS_BYTES = 68;

/** Register names of the frame. */
export type PtRegName = keyof typeof PtRegs;

/** A trap frame at a physical address. */
export class TrapFrame {
  constructor(
    private readonly mem: PhysicalMemory,
    /** Physical address of the frame (of its ebx slot). */
    readonly base: number,
  ) {}

  /** The frame at kernel virtual address `va` (the kernel half maps physical memory linearly at KERNEL_BASE). */
  static atKernelAddress(mem: PhysicalMemory, va: number): TrapFrame {
    return new TrapFrame(mem, (va - KERNEL_BASE) >>> 0);
  }

  /** A saved register. */
  get(reg: PtRegName): number {
    return this.mem.read32(this.base + PtRegs[reg]);
  }

  /** Overwrites a saved register; the stub restores it on the way out. */
  set(reg: PtRegName, value: number): void {
    this.mem.write32(this.base + PtRegs[reg], value);
  }
}
