// The bare-CPU boot tests' common ground: a ROM whose reset vector jumps to a boot sector at
// 0x7c00, the boot sector's way into protected mode, and a run that ticks the timer while the
// guest runs. Each call builds its own machine.
import type { Vendor } from '../../machine/cpu/cpuid.ts';
import { Cpu, type StopReason } from '../../machine/cpu/cpu.ts';
import { PhysicalMemory } from '../../machine/memory/physical.ts';
import { asm } from '../helpers/asm.ts';
import { TestInterrupts, TestIo } from './harness.ts';

/**
 * NASM that a boot sector starts with: lgdt [gdtr] (the kernel defines gdtr, with 32-bit code at
 * 0x08 and flat data at 0x10), CR0.PE and a far jump, flat data segments and a stack at 0x90000.
 * The kernel's own 32-bit code follows it.
 */
export const PROTECTED_MODE_ENTRY = `
bits 16
  cli
  xor ax, ax
  mov ds, ax
  lgdt [gdtr]
  mov eax, cr0
  or al, 1
  mov cr0, eax
  jmp 0x08:pm
bits 32
pm:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, 0x90000
`;

/** A machine booted from the reset vector, and why its run stopped. */
export interface Booted {
  cpu: Cpu;
  mem: PhysicalMemory;
  reason: StopReason | undefined;
}

/**
 * Boots `kernel` (NASM, assembled at 0x7c00 and entered in real mode through the ROM's reset
 * vector) and runs up to `slices` slices of `sliceSize` instructions, raising the timer's vector
 * 0x20 after every second slice, until it stops for another reason than the budget.
 */
export function bootFromReset(kernel: string, opts: { ramSize: number; slices: number; sliceSize: number; vendor?: Vendor }): Booted {
  const mem = new PhysicalMemory({ ramSize: opts.ramSize });
  const rom = new Uint8Array(4096);
  rom.set(asm('jmp 0x0000:0x7c00', { bits: 16 }), 0xff0);
  mem.mapBios(rom);
  mem.load(0x7c00, asm(kernel, { bits: 16, org: 0x7c00 }));
  const irq = new TestInterrupts();
  const cpu = new Cpu({ memory: mem, io: new TestIo(), interrupts: irq, vendor: opts.vendor, log: () => undefined });
  let reason: StopReason | undefined;
  for (let slice = 0; slice < opts.slices; slice++) {
    reason = cpu.run(opts.sliceSize);
    if (reason !== 'budget') break;
    // A timer tick every other slice, as the PIT would raise it through the PIC.
    if (slice % 2 === 1) irq.queue.push(0x20);
  }
  return { cpu, mem, reason };
}
