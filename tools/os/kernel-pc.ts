// Assembles the operating system on the PC: the kernel's ROM at the reset vector, and the
// TypeScript kernel behind the CPU's native-call bridge with the machine's memory, ports and
// clock as its platform. Tests and `tools/run` build their machines here.
import type { Vendor } from '../../machine/cpu/cpuid.ts';
import { PC } from '../../machine/pc.ts';
import type { KernelImage } from '../../kernel/arch/i386/image.ts';
import { I386System } from '../../kernel/arch/i386/system.ts';

/** How to build the machine. */
export interface KernelPcOptions {
  readonly kernel: KernelImage;
  readonly initramfs: Uint8Array;
  readonly vendor?: Vendor;
  /** false: a CPU without SYSENTER/SYSEXIT. */
  readonly sep?: boolean;
  /** The first program and its arguments (default /bin/sh). */
  readonly init?: readonly string[];
  readonly ramBytes?: number;
}

/** A powered-on PC whose bridge reaches the kernel; nothing has run yet. */
export function createKernelPc(options: KernelPcOptions): { pc: PC; system: I386System } {
  const pc = new PC({ boot: { rom: options.kernel.rom }, vendor: options.vendor, sep: options.sep, ramBytes: options.ramBytes });
  const system = new I386System(
    { ram: pc.memory.ram, ramWritten: (pa, length) => pc.memory.externalWrite(pa, length), physical: pc.memory, io: pc.devices.bus, clock: pc.clock },
    options.kernel,
    { initramfs: options.initramfs, init: options.init },
  );
  pc.cpu.nativeHandler = (cpu) => system.bridge(cpu.regs);
  return { pc, system };
}
