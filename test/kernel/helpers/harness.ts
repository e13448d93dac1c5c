// A kernel on fake physical memory with a fake architecture layer and a fake clock, and helpers
// to call system calls the way the int 0x80 entry would (number and register arguments).
import { E } from '../../../kernel/errno.ts';
import { i386Abi } from '../../../kernel/arch/i386/abi.ts';
import { createKernelDirectory, I386AddressSpace } from '../../../kernel/arch/i386/address-space.ts';
import { Kernel, type ArchHooks } from '../../../kernel/kernel.ts';
import { NO_TLB } from '../../../kernel/mm/address-space.ts';
import { FrameAllocator } from '../../../kernel/mm/frames.ts';
import { PhysicalMemory } from '../../../kernel/mm/phys.ts';
import type { Process } from '../../../kernel/proc/process.ts';
import type { UserAbi } from '../../../kernel/syscalls/abi.ts';
import type { VdsoImage } from '../../../kernel/proc/vdso.ts';
import type { SigAction } from '../../../kernel/proc/sigaction.ts';
import { SYSCALLS } from '../../../kernel/syscalls/table.ts';
import type { TimerHandle, VirtualClock } from '../../../kernel/time/clock.ts';

/** The user registers the fake architecture keeps per process. */
export interface FakeRegs {
  eax: number;
  eip: number;
  esp: number;
}

/** Records what the kernel asked of the architecture. */
export class FakeArch implements ArchHooks {
  readonly regs = new Map<number, FakeRegs>();
  readonly switches: number[] = [];
  readonly released: number[] = [];
  idles = 0;
  panics: string[] = [];
  readonly tlb = NO_TLB;

  regsOf(p: Process): FakeRegs {
    let r = this.regs.get(p.pid);
    if (!r) {
      r = { eax: 0, eip: 0, esp: 0 };
      this.regs.set(p.pid, r);
    }
    return r;
  }

  /** When set, each forked child takes a kernel-stack frame from it, as the i386 layer does. */
  stackFrames: FrameAllocator | null = null;
  private readonly stacks = new Map<number, number>();

  forkContext(parent: Process, child: Process): number {
    if (this.stackFrames) {
      const frame = this.stackFrames.alloc();
      if (frame === null) return -E.ENOMEM;
      this.stacks.set(child.pid, frame);
    }
    this.regs.set(child.pid, { ...this.regsOf(parent), eax: 0 });
    return 0;
  }

  execContext(p: Process, entry: number, sp: number): void {
    this.regs.set(p.pid, { eax: 0, eip: entry, esp: sp });
  }

  switchTo(next: Process): void {
    this.switches.push(next.pid);
  }

  idle(): void {
    this.idles++;
  }

  /** Signal frames pushed and not yet popped, per pid: the registers and mask they saved. */
  readonly signalFrames = new Map<number, { regs: FakeRegs; mask: bigint; sig: number }[]>();
  /** Makes the next pushSignalFrame fail, as a user stack that cannot take the frame would. */
  failNextFrame = false;

  pushSignalFrame(p: Process, sig: number, action: SigAction, savedMask: bigint): boolean {
    if (this.failNextFrame) {
      this.failNextFrame = false;
      return false;
    }
    const regs = this.regsOf(p);
    const frames = this.signalFrames.get(p.pid) ?? [];
    frames.push({ regs: { ...regs }, mask: savedMask, sig });
    this.signalFrames.set(p.pid, frames);
    this.regs.set(p.pid, { eax: sig, eip: action.handler, esp: regs.esp - 0x200 });
    return true;
  }

  popSignalFrame(p: Process): bigint | null {
    const frame = this.signalFrames.get(p.pid)?.pop();
    if (!frame) return null;
    this.regs.set(p.pid, frame.regs);
    return frame.mask;
  }

  release(p: Process): void {
    this.released.push(p.pid);
    const stack = this.stacks.get(p.pid);
    if (stack !== undefined) this.stackFrames?.unref(stack);
    this.stacks.delete(p.pid);
    this.regs.delete(p.pid);
  }

  panic(message: string): void {
    this.panics.push(message);
  }
}

/** Virtual time that moves only when the test says so. */
export class FakeClock implements VirtualClock {
  private ns = 0;
  private timers: { at: number; fn: () => void; live: boolean }[] = [];

  now(): number {
    return this.ns;
  }

  at(atNs: number, fn: () => void): TimerHandle {
    const t = { at: atNs, fn, live: true };
    this.timers.push(t);
    return { cancel: () => void (t.live = false) };
  }

  /** Moves time forward, firing due timers in time order. */
  advance(ns: number): void {
    const end = this.ns + ns;
    for (;;) {
      const due = this.timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.live = false;
      this.ns = Math.max(this.ns, due.at);
      due.fn();
    }
    this.timers = this.timers.filter((t) => t.live);
    this.ns = end;
  }
}

export const RAM_BYTES = 16 * 1024 * 1024;
/** Where tests map a writable scratch area (DATA_PAGES pages) and a read-only page. */
export const DATA = 0x10000000;
export const DATA_PAGES = 8;
export const RODATA = 0x20000000;
/** 2026-01-01T00:00:00Z */
export const BOOT_EPOCH = 1767225600;

/** A call's outcome as the caller sees it: its result, or 'blocked' while it sleeps. */
export interface CallResult {
  value: number | 'blocked';
}

/** A booted kernel with init running and a scratch area mapped in init. */
export class Harness {
  readonly mem = new PhysicalMemory(new Uint8Array(RAM_BYTES));
  readonly arch = new FakeArch();
  readonly clock = new FakeClock();
  readonly frames: FrameAllocator;
  readonly kernel: Kernel;
  readonly init: Process;
  /** Free frames right after boot, before init got its scratch area. */
  readonly bootFree: number;

  constructor(options: { initramfs?: Uint8Array; maxProcesses?: number; abi?: UserAbi; vdso?: (frames: FrameAllocator, mem: PhysicalMemory) => VdsoImage } = {}) {
    this.frames = new FrameAllocator(this.mem, [{ base: 0, length: RAM_BYTES, type: 1 }], [{ base: 0, length: 0x200000 }]);
    const kdir = createKernelDirectory(this.mem, this.frames)!;
    this.kernel = new Kernel({
      mem: this.mem,
      frames: this.frames,
      newSpace: () => I386AddressSpace.create(this.mem, this.frames, NO_TLB, kdir),
      abi: options.abi ?? i386Abi,
      arch: this.arch,
      clock: this.clock,
      bootEpochSeconds: BOOT_EPOCH,
      ...(options.initramfs ? { initramfs: options.initramfs } : {}),
      ...(options.maxProcesses ? { maxProcesses: options.maxProcesses } : {}),
      ...(options.vdso ? { vdso: options.vdso(this.frames, this.mem) } : {}),
    });
    this.bootFree = this.frames.freeCount;
    const init = this.kernel.createInit();
    if (typeof init === 'number') throw new Error(`createInit failed: ${init}`);
    this.init = init;
    this.kernel.schedule();
    this.mapScratch(init);
  }

  /** Maps the scratch area (writable) and the read-only page in `p`. */
  mapScratch(p: Process): void {
    p.space!.mapZeroed(DATA, DATA_PAGES * 4096, true);
    p.space!.mapZeroed(RODATA, 4096, false);
  }

  /** The process the kernel runs now. */
  get current(): Process {
    if (!this.kernel.current) throw new Error('no current process');
    return this.kernel.current;
  }

  /** Calls syscall `name` (or a raw number) from the current process with register arguments. */
  call(name: string | number, ...args: number[]): CallResult {
    const nr = typeof name === 'number' ? name : numberOf(name, this.kernel.abi.name);
    const result: CallResult = { value: 'blocked' };
    this.kernel.syscall(nr, (i) => (args[i] ?? 0) >>> 0, (r) => (result.value = r), 'int80');
    return result;
  }

  /** Calls and expects an immediate result. */
  sys(name: string | number, ...args: number[]): number {
    const r = this.call(name, ...args);
    if (r.value === 'blocked') throw new Error(`${String(name)} blocked`);
    return r.value;
  }

  /** Writes bytes into `p`'s memory as the process would (copy-on-write honoured), or with kernel rights into read-only pages. */
  poke(va: number, data: Uint8Array | string, p: Process = this.current): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    if (this.kernel.copyOut(p, va, bytes) === 0) return;
    for (let i = 0; i < bytes.length; i++) {
      const pa = p.space!.probe(va + i, false);
      if (pa < 0) throw new Error(`poke: 0x${(va + i).toString(16)} is not mapped`);
      this.mem.bytes[pa] = bytes[i]!;
    }
  }

  /** Reads bytes from `p`'s memory with kernel rights. */
  peek(va: number, length: number, p: Process = this.current): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.mem.bytes[p.space!.probe(va + i, false)]!;
    return out;
  }

  /** Reads a little-endian dword from `p`'s memory. */
  peek32(va: number, p: Process = this.current): number {
    const b = this.peek(va, 4, p);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }

  /** Puts a NUL-terminated string at `va` and returns `va`. */
  str(va: number, text: string): number {
    this.poke(va, `${text}\0`);
    return va;
  }

  /** Reads back a string written by the kernel. */
  text(va: number, length: number): string {
    return new TextDecoder().decode(this.peek(va, length));
  }
}

/** The number of syscall `name` in an ABI (i386 unless told). */
export function numberOf(name: string, abi: 'i386' | 'x86_64' = 'i386'): number {
  const s = SYSCALLS.find((e) => e.name === name);
  const nr = abi === 'i386' ? s?.i386 : s?.x86_64;
  if (nr === undefined || nr === null) throw new Error(`no ${abi} syscall ${name}`);
  return nr;
}
