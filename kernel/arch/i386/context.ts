// The i386 arch hooks of the kernel (kernel.ts's ArchHooks): kernel stacks and trap frames of
// processes, the context switch as "return on another stack", idle, TLB maintenance. They act
// only on guest memory (frames, the TSS, cpu_area); the exit stub does the CPU work.
import { E } from '../../errno.ts';
import type { ArchHooks, Kernel } from '../../kernel.ts';
import type { TlbHooks } from '../../mm/address-space.ts';
import type { FrameAllocator } from '../../mm/frames.ts';
import { PAGE_SIZE, type PhysicalMemory } from '../../mm/phys.ts';
import type { Process } from '../../proc/process.ts';
import type { SigAction } from '../../proc/sigaction.ts';
import type { SigInfo } from '../../proc/siginfo.ts';
import { KERNEL_BASE } from './address-space.ts';
import type { CpuArea } from './cpu-area.ts';
import { setTssEsp0 } from './descriptors.ts';
import { entryPathOf } from './entry-paths.ts';
import { Gdt } from './layout.ts';
import { popSignalFrame, pushSignalFrame } from './signal-frame.ts';
import { ARG_BLOCK_BYTES } from './syscall-abis.ts';
import { PT_REGS_BYTES, PtRegs, TrapFrame } from './trap-frame.ts';

/** What this layer keeps per process: a one-page kernel stack with the trap frame at its top. */
export interface I386ProcessContext {
  /** Physical address of the stack's page. */
  readonly stackPa: number;
  /** Kernel virtual address of the pt_regs frame at the top: where the exit path resumes it. */
  readonly frameVa: number;
  /**
   * Per signal frame on the user stack (innermost last): the argument block as it was when the
   * handler was entered, put back at its rt_sigreturn, since a handler's own system calls through
   * the block would overwrite what the interrupted code had there (null: no block).
   */
  readonly savedBlocks: (Uint8Array | null)[];
}

/** EFLAGS of a new program: IF, and the always-one bit 1. */
const USER_EFLAGS = 0x202;

/** Implements ArchHooks over guest memory. */
export class I386Context implements ArchHooks {
  /** The directory the CPU had loaded when the current bridge call began. */
  loadedCr3 = 0;
  /** The kernel these hooks serve (its user-memory copies build signal frames). */
  kernel: Kernel | null = null;
  /** Set by panic: the message to show. */
  onPanic: (message: string) => void = () => {};

  constructor(
    private readonly mem: PhysicalMemory,
    private readonly frames: FrameAllocator,
    private readonly area: CpuArea,
    /** Physical address of the TSS. */
    private readonly tssPa: number,
    private readonly kernelDirectory: number,
  ) {}

  /** `p`'s context, allocating its kernel stack the first time (init gets it at its first exec). */
  context(p: Process): I386ProcessContext {
    const ctx = this.existingOrNew(p);
    if (!ctx) throw new Error(`no free frame for the kernel stack of pid ${p.pid}`);
    return ctx;
  }

  /** `p`'s context, allocating its kernel stack if it has none; null when no frame is free. */
  private existingOrNew(p: Process): I386ProcessContext | null {
    if (p.arch) return p.arch as I386ProcessContext;
    const stackPa = this.frames.alloc();
    if (stackPa === null) return null;
    const ctx: I386ProcessContext = { stackPa, frameVa: KERNEL_BASE + stackPa + PAGE_SIZE - PT_REGS_BYTES, savedBlocks: [] };
    p.arch = ctx;
    return ctx;
  }

  /** The trap frame of `p` (its saved user registers). */
  frame(p: Process): TrapFrame {
    return TrapFrame.atKernelAddress(this.mem, this.context(p).frameVa);
  }

  forkContext(parent: Process, child: Process): number {
    const from = this.frame(parent);
    const ctx = this.existingOrNew(child);
    if (!ctx) return -E.ENOMEM;
    const to = TrapFrame.atKernelAddress(this.mem, ctx.frameVa);
    this.mem.copy(to.base, from.base, PT_REGS_BYTES);
    ctx.savedBlocks.push(...this.context(parent).savedBlocks);
    to.set('eax', 0);
    // The child's 0 goes where the parent's way in returns results (edx too, or the argument block).
    const path = entryPathOf(parent.mechanism);
    if (path && this.kernel && !path.result(this.kernel, child, to)(0)) {
      this.release(child);
      return -E.ENOMEM;
    }
    return 0;
  }

  execContext(p: Process, entry: number, sp: number): void {
    const frame = this.frame(p);
    for (const reg of Object.keys(PtRegs) as Array<keyof typeof PtRegs>) frame.set(reg, 0);
    frame.set('eip', entry);
    frame.set('esp', sp);
    frame.set('cs', Gdt.USER_CS);
    frame.set('ss', Gdt.USER_DS);
    frame.set('ds', Gdt.USER_DS);
    frame.set('es', Gdt.USER_DS);
    frame.set('eflags', USER_EFLAGS);
    frame.set('orig_eax', -1);
    this.context(p).savedBlocks.length = 0;
    // p is current when the exit path is about to resume its frame: it must come back in the new space.
    if (p.space && this.area.returnEsp === this.context(p).frameVa) this.area.cr3 = p.space.root;
  }

  switchTo(next: Process): void {
    const ctx = this.context(next);
    if (!next.space) throw new Error(`pid ${next.pid} has no address space to run in`);
    this.area.returnEsp = ctx.frameVa;
    this.area.cr3 = next.space.root;
    this.area.idle = false;
    setTssEsp0(this.mem, this.tssPa, KERNEL_BASE + ctx.stackPa + PAGE_SIZE);
  }

  idle(): void {
    this.area.cr3 = this.kernelDirectory;
    this.area.idle = true;
  }

  pushSignalFrame(p: Process, sig: number, action: SigAction, savedMask: bigint, info: SigInfo): boolean {
    const k = this.kernel;
    if (k === null) return false;
    const block = p.argBlock === null ? null : k.copyIn(p, p.argBlock, ARG_BLOCK_BYTES);
    if (!pushSignalFrame(k, p, this.frame(p), sig, action, savedMask, info)) return false;
    this.context(p).savedBlocks.push(block instanceof Uint8Array ? block : null);
    return true;
  }

  popSignalFrame(p: Process): bigint | null {
    const k = this.kernel;
    const mask = k === null ? null : popSignalFrame(k, p, this.frame(p));
    if (k === null || mask === null) return null;
    const block = this.context(p).savedBlocks.pop();
    if (block && p.argBlock !== null) k.copyOut(p, p.argBlock, block);
    return mask;
  }

  release(p: Process): void {
    const ctx = p.arch as I386ProcessContext | null;
    if (!ctx) return;
    this.frames.unref(ctx.stackPa);
    p.arch = null;
  }

  panic(message: string): void {
    this.onPanic(message);
  }

  readonly tlb: TlbHooks = {
    invalidatePage: (root, va) => {
      if (root === this.loadedCr3) this.area.invalidatePage(va);
    },
    flushAll: (root) => {
      if (root === this.loadedCr3) this.area.flushTlb();
    },
  };
}
