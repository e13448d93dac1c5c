// The per-CPU area of the kernel image (image.asm's cpu_area): how the TypeScript kernel tells
// the exit stub which stack to return on, which page directory to load, which TLB entries to
// drop, and whether to idle or stop. Only guest memory is written; the stub does the rest.
import type { PhysicalMemory } from '../../mm/phys.ts';
import { KERNEL_BASE } from './address-space.ts';
import { symbol, type KernelImage } from './image.ts';

/** At most this many single-page invalidations are queued; beyond, CR3 is reloaded. */
const INVLPG_SLOTS = 8;

/** Typed access to cpu_area's fields in guest memory. */
export class CpuArea {
  private readonly at: Record<'return_esp' | 'cr3' | 'flush' | 'idle' | 'halt' | 'invlpg_count' | 'invlpg' | 'sysexit' | 'sysenter' | 'cpu_vendor' | 'cpu_signature', number>;

  constructor(
    private readonly mem: PhysicalMemory,
    image: KernelImage,
  ) {
    const pa = (name: string): number => symbol(image, `cpu_area.${name}`) - KERNEL_BASE;
    this.at = {
      return_esp: pa('return_esp'), cr3: pa('cr3'), flush: pa('flush'), idle: pa('idle'),
      halt: pa('halt'), invlpg_count: pa('invlpg_count'), invlpg: pa('invlpg'), sysexit: pa('sysexit'),
      sysenter: pa('sysenter'), cpu_vendor: pa('cpu_vendor'), cpu_signature: pa('cpu_signature'),
    };
  }

  /** The kernel stack (a pt_regs frame's address) the exit path restores from. */
  set returnEsp(va: number) {
    this.mem.write32(this.at.return_esp, va);
  }

  get returnEsp(): number {
    return this.mem.read32(this.at.return_esp);
  }

  /** The page directory the exit path runs with. */
  get cr3(): number {
    return this.mem.read32(this.at.cr3);
  }

  set cr3(pa: number) {
    this.mem.write32(this.at.cr3, pa);
  }

  /** Whether the exit path waits in the idle loop. */
  set idle(on: boolean) {
    this.mem.write32(this.at.idle, on ? 1 : 0);
  }

  get idle(): boolean {
    return this.mem.read32(this.at.idle) !== 0;
  }

  /** Whether the exit path returns with sysexit instead of iret (the kernel checked the frame allows it). */
  set sysexit(on: boolean) {
    this.mem.write32(this.at.sysexit, on ? 1 : 0);
  }

  /** Whether the startup code programs the SYSENTER MSRs after the tables are loaded (set at boot). */
  set sysenter(on: boolean) {
    this.mem.write32(this.at.sysenter, on ? 1 : 0);
  }

  /** CPUID leaf 0's vendor string ("GenuineIntel"), as the startup code stored it. */
  get cpuVendor(): string {
    const bytes = Array.from({ length: 12 }, (_, i) => this.mem.bytes[this.at.cpu_vendor + i]!);
    return String.fromCharCode(...bytes).replace(/\0+$/, '');
  }

  /** CPUID leaf 1's EAX: stepping in bits 3-0, model 7-4, family 11-8. */
  get cpuSignature(): number {
    return this.mem.read32(this.at.cpu_signature);
  }

  /** Stops the CPU for good on the way out (panic). */
  halt(): void {
    this.mem.write32(this.at.halt, 1);
  }

  /** Makes the exit path reload CR3 even when unchanged (drops every non-global TLB entry). */
  flushTlb(): void {
    this.mem.write32(this.at.flush, 1);
  }

  /** Queues `invlpg va` for the exit path; too many become one CR3 reload. */
  invalidatePage(va: number): void {
    const n = this.mem.read32(this.at.invlpg_count);
    if (n >= INVLPG_SLOTS) {
      this.flushTlb();
      return;
    }
    this.mem.write32(this.at.invlpg + 4 * n, va);
    this.mem.write32(this.at.invlpg_count, n + 1);
  }
}
