// The kernel: the state every service routine works on (memory, files, processes, the console,
// time) and the entry points the architecture's bridge calls: a system call, a timer tick, a key.
// See kernel/README.md for the contract with kernel/arch/.
import { faultInfo, pageFaultInfo, signalForException } from './arch/exceptions.ts';
import { E } from './errno.ts';
import { FdTable } from './fs/fdtable.ts';
import { OpenFile, O_RDWR } from './fs/file.ts';
import { loadInitramfs } from './fs/initramfs.ts';
import { nullDeviceOps, PATH_MAX, Ramfs } from './fs/ramfs.ts';
import type { AddressSpace, TlbHooks } from './mm/address-space.ts';
import type { FrameAllocator } from './mm/frames.ts';
import type { PhysicalMemory } from './mm/phys.ts';
import { copyFromUser, copyStringFromUser, copyToUser, userAccessible } from './mm/uaccess.ts';
import { execProgram } from './proc/exec.ts';
import { exitProcess } from './proc/lifecycle.ts';
import { deliverPendingSignals, interruptSleepingCall, sendSignal, signalTargets } from './proc/signal-delivery.ts';
import { SIG } from './proc/signals.ts';
import { Process, type PendingCall } from './proc/process.ts';
import { isBlocked, NO_RETURN, type SyscallOutcome, type WaitQueue } from './proc/wait-queue.ts';
import type { UserAbi } from './syscalls/abi.ts';
import { Dispatcher, type ArgFetcher } from './syscalls/dispatch.ts';
import type { Mechanism } from './syscalls/mechanisms.ts';
import { SYSCALLS } from './syscalls/table.ts';
import { CLOCK, clockNs, type VirtualClock } from './time/clock.ts';
import { Vdso, type VdsoImage } from './proc/vdso.ts';
import type { SigAction } from './proc/sigaction.ts';
import { KERNEL_INFO, type SigInfo } from './proc/siginfo.ts';
import { TraceRouter } from './trace/session.ts';
import { Console } from './tty/console.ts';

/** What the architecture layer does for the kernel (kernel/README.md describes each in full). */
export interface ArchHooks {
  /** Gives `child` a kernel stack holding a copy of `parent`'s trap frame, with result 0; answers 0, or -errno (-ENOMEM) having changed nothing. */
  forkContext(parent: Process, child: Process): number;
  /** Rewrites `p`'s trap frame to start the new program at `entry` with stack `sp`; loads CR3 when `p` is current. */
  execContext(p: Process, entry: number, sp: number): void;
  /** Makes the entry stub return into `next`: its kernel stack, CR3 and TSS.esp0. */
  switchTo(next: Process): void;
  /** Nothing is runnable: halt until an interrupt, whose entry ends by calling the kernel again. */
  idle(): void;
  /**
   * Enters a signal handler: saves p's user registers and `savedMask` in a signal frame on its
   * user stack (Linux's rt_sigframe), points eip at `action.handler` with the signal number as
   * its argument and the return address at `action.restorer`. False when the user stack cannot
   * take the frame (the kernel then kills p with SIGSEGV). Optional with popSignalFrame: without
   * them, rt_sigaction accepts only SIG_DFL and SIG_IGN.
   */
  pushSignalFrame?(p: Process, sig: number, action: SigAction, savedMask: bigint, info: SigInfo): boolean;
  /** rt_sigreturn: restores p's registers from the signal frame at its user stack; the saved mask, or null for a bad frame. */
  popSignalFrame?(p: Process): bigint | null;
  /** Frees what the architecture kept for a reaped process (its kernel stack). */
  release(p: Process): void;
  /** Stops the machine with a message (init exited, as Linux's "Attempted to kill init!"). */
  panic(message: string): void;
  readonly tlb: TlbHooks;
}

/** Everything the kernel is built from. */
export interface KernelConfig {
  readonly mem: PhysicalMemory;
  readonly frames: FrameAllocator;
  /** A new address space with an empty user half, or null when memory runs out. */
  readonly newSpace: () => AddressSpace | null;
  readonly abi: UserAbi;
  readonly arch: ArchHooks;
  readonly clock: VirtualClock;
  /** Wall-clock time at power-on (from the RTC), seconds since the Epoch. */
  readonly bootEpochSeconds: number;
  /** The initramfs image (newc cpio), if the boot loader passed one. */
  readonly initramfs?: Uint8Array;
  /** At most this many processes exist at once; fork answers EAGAIN beyond. */
  readonly maxProcesses?: number;
  /** AT_HWCAP for new programs (CPUID.1:EDX). */
  readonly hwcap?: number;
  /** The vDSO image to map into every program (AT_SYSINFO), if the architecture has one. */
  readonly vdso?: VdsoImage;
  /** A user address where every program gets a zeroed, writable page of its own: the argument block of seed 000. */
  readonly argBlockPage?: number;
}

/** Timer ticks a process may run before another runnable process gets the CPU. */
export const TIME_SLICE_TICKS = 5;
const PID_MAX = 32768;
/** After wrapping, pids restart here (Linux's RESERVED_PIDS). */
const PID_WRAP = 300;

/** The kernel's state and entry points. */
export class Kernel {
  readonly mem: PhysicalMemory;
  readonly frames: FrameAllocator;
  readonly abi: UserAbi;
  readonly arch: ArchHooks;
  readonly clock: VirtualClock;
  readonly bootEpochSeconds: number;
  readonly fs: Ramfs;
  readonly console: Console;
  readonly dispatcher: Dispatcher;
  /** Where trace events go: each process's kit_trace session, and `tracer.global` when set. */
  readonly tracer = new TraceRouter();
  readonly processes = new Map<number, Process>();
  readonly maxProcesses: number;
  readonly hwcap: number;
  /** The vDSO and its time page, when configured. */
  readonly vdso: Vdso | null;
  /** Where exec maps each program's argument-block page, when configured. */
  readonly argBlockPage: number | null;
  /** The process the CPU runs (or is in the kernel for); null while idle. */
  current: Process | null = null;
  private readonly runQueue: Process[] = [];
  private lastPid = 0;
  private ticks = 0;
  private nextAnonIno = 1 << 30;
  private readonly newSpaceFn: () => AddressSpace | null;

  constructor(config: KernelConfig) {
    this.mem = config.mem;
    this.frames = config.frames;
    this.abi = config.abi;
    this.arch = config.arch;
    this.clock = config.clock;
    this.bootEpochSeconds = config.bootEpochSeconds;
    this.maxProcesses = config.maxProcesses ?? 64;
    this.hwcap = config.hwcap ?? 0;
    this.newSpaceFn = config.newSpace;
    this.vdso = config.vdso ? Vdso.create(config.mem, config.frames, config.vdso) : null;
    this.argBlockPage = config.argBlockPage ?? null;
    this.publishTime();
    this.dispatcher = new Dispatcher(SYSCALLS, config.abi.name);
    this.dispatcher.trace = this.tracer;
    this.fs = new Ramfs(() => this.epochSeconds());
    this.console = new Console((pgrp, sig) => this.signalGroup(pgrp, sig));
    if (config.initramfs) loadInitramfs(this.fs, config.initramfs);
    const dev = this.fs.mkdirs('dev');
    if (typeof dev !== 'number') {
      this.fs.createDevice(dev, 'console', (5 << 8) | 1, this.console.ops, 0o600);
      this.fs.createDevice(dev, 'tty', (5 << 8) | 0, this.console.ops);
      this.fs.createDevice(dev, 'null', (1 << 8) | 3, nullDeviceOps);
    }
    this.fs.mkdirs('tmp', 0o777);
  }

  // ---- entry points for the architecture ----

  /**
   * A system call from the current process, made through `mechanism`: dispatches it, stores
   * the result through `complete`, then schedules if needed.
   */
  syscall(nr: number, fetch: ArgFetcher, complete: (result: number) => void, mechanism: Mechanism): void {
    const p = this.current;
    if (!p) throw new Error('system call with no current process');
    p.mechanism = mechanism;
    const { outcome, args } = this.dispatcher.dispatch(this, p, nr, fetch);
    this.settle(p, nr, args, outcome, complete);
    this.preemptionPoint();
  }

  /** The periodic timer interrupt: round-robin preemption every TIME_SLICE_TICKS ticks. */
  timerTick(): void {
    this.ticks++;
    if (this.current && this.ticks % TIME_SLICE_TICKS === 0 && this.runQueue.length > 0) this.current.yielded = true;
    this.preemptionPoint();
  }

  /** A key arrived from the keyboard driver (as a byte: ASCII or a control character). */
  keyboardInput(byte: number): void {
    this.console.input(byte);
    this.preemptionPoint();
  }

  /**
   * Called on every way out of the kernel: publishes the time for the vDSO, acts on fatal
   * signals of the current process, and picks another process when the current one sleeps,
   * exited, yielded, or none runs.
   */
  preemptionPoint(): void {
    this.publishTime();
    const p = this.current;
    if (p && p.state === 'runnable') deliverPendingSignals(this, p);
    if (p && p.state === 'runnable' && !p.yielded) return;
    this.schedule();
  }

  /**
   * Writes the clocks into the vDSO's time page. Done on every way out of the kernel (timer ticks
   * included), so user mode never reads a time earlier than a system call has already answered.
   */
  private publishTime(): void {
    this.vdso?.update(clockNs(this.clock, this.bootEpochSeconds, CLOCK.REALTIME)!, this.clock.now());
  }

  // ---- processes and scheduling ----

  /** A fresh process id, or -EAGAIN when the process limit is reached. */
  allocatePid(): number {
    if (this.processes.size >= this.maxProcesses) return -E.EAGAIN;
    let pid = this.lastPid;
    for (;;) {
      pid = pid + 1 >= PID_MAX ? PID_WRAP : pid + 1;
      if (!this.processes.has(pid) && ![...this.processes.values()].some((q) => q.pgid === pid)) break;
    }
    this.lastPid = pid;
    return pid;
  }

  /** A new process record (not yet runnable), registered in the process table. */
  newProcess(pid: number, parent: Process | null, space: AddressSpace | null, files: FdTable): Process {
    const p = new Process(pid, parent, parent?.pgid ?? pid, space, files, parent?.cwd ?? this.fs.root, this.abi, (q) => this.makeRunnable(q));
    this.processes.set(pid, p);
    parent?.children.add(p);
    return p;
  }

  /** Creates init (pid 1) with the console on descriptors 0, 1 and 2, ready for execve. Returns it, or -errno. */
  createInit(): Process | number {
    const tty = this.fs.lookup(this.fs.root, '/dev/console');
    if (typeof tty === 'number') return tty;
    const pid = this.allocatePid();
    if (pid < 0) return pid;
    const space = this.newSpace();
    if (!space) return -E.ENOMEM;
    const files = new FdTable();
    const file = new OpenFile(this.console.ops, tty, O_RDWR);
    files.install(file);
    files.installAt(1, file);
    files.installAt(2, file);
    const init = this.newProcess(pid, null, space, files);
    init.name = 'init';
    this.runQueue.push(init);
    return init;
  }

  /**
   * Starts the first program: creates init, runs `path` in it with `argv` and a minimal
   * environment, and switches to it. Returns init, or -errno when the program cannot run.
   */
  startInit(path: string, argv: readonly string[] = [path], envp: readonly string[] = ['PATH=/bin', 'HOME=/']): Process | number {
    const init = this.createInit();
    if (typeof init === 'number') return init;
    const r = execProgram(this, init, path, argv, envp);
    if (r < 0) {
      // Not an exit of init (which would panic): the first process never started.
      this.dequeue(init);
      init.files.closeAll();
      init.space?.destroy();
      this.processes.delete(init.pid);
      this.lastPid = init.pid - 1;
      return r;
    }
    this.schedule();
    return init;
  }

  /**
   * A page fault from user mode at `va` (write access when `write`; `error` the #PF error code,
   * for the siginfo and sigcontext): a write to a copy-on-write page gets its own copy and the
   * instruction is restarted (true); anything else is a bad access and the process dies of
   * SIGSEGV on its way out (false).
   */
  userPageFault(va: number, write: boolean, error = write ? 2 : 0): boolean {
    const p = this.current;
    if (!p?.space) return false;
    if (write && p.space.probe(va, true) >= 0 && p.space.commit(va, true) >= 0) return true;
    this.signal(p, SIG.SIGSEGV, true, pageFaultInfo(va, error));
    this.preemptionPoint();
    return false;
  }

  /**
   * Any other exception in user mode (the architecture's handler calls this with the vector):
   * the current process gets the signal Linux sends for it (#DE SIGFPE, #UD SIGILL, #GP SIGSEGV...)
   * and, with no handler, dies of it on its way out; `ip` and `error` (the frame's eip and error
   * code) go into its siginfo and sigcontext. Returns the signal, or null for vectors that are not
   * the program's doing (the architecture panics on those).
   */
  userException(vector: number, ip = 0, error = 0): number | null {
    const sig = signalForException(vector);
    const p = this.current;
    if (sig === null || !p) return null;
    this.signal(p, sig, true, faultInfo(vector, ip, error));
    this.preemptionPoint();
    return sig;
  }

  /** Puts a sleeping (or new) process back on the run queue. */
  makeRunnable(p: Process): void {
    if (p.state === 'zombie') return;
    if (p.state === 'stopped') {
      // What it waited for has come; it retries its call once SIGCONT resumes it.
      p.waitingOn?.remove(p);
      p.waitingOn = null;
      return;
    }
    if (p.state === 'runnable' && (p === this.current || this.runQueue.includes(p))) return;
    p.waitingOn?.remove(p);
    p.waitingOn = null;
    p.state = 'runnable';
    this.runQueue.push(p);
  }

  /** Puts `p` to sleep on `queue` until woken. */
  sleep(p: Process, queue: WaitQueue): void {
    p.state = 'blocked';
    p.waitingOn = queue;
    queue.add(p);
  }

  /** Removes `p` from the run queue (it exited). */
  dequeue(p: Process): void {
    const i = this.runQueue.indexOf(p);
    if (i >= 0) this.runQueue.splice(i, 1);
  }

  /** Runs the next runnable process: retries its blocked call first; idles when none can run. */
  schedule(): void {
    const prev = this.current;
    if (prev && prev.state === 'runnable') {
      prev.yielded = false;
      this.runQueue.push(prev);
    }
    for (;;) {
      const next = this.runQueue.shift();
      if (!next) {
        this.current = null;
        this.arch.idle();
        return;
      }
      if (next.state !== 'runnable') continue;
      this.current = next;
      const call = interruptSleepingCall(this, next) ? null : next.pendingCall;
      if (call) {
        next.pendingCall = null;
        const outcome = this.dispatcher.retry(this, next, call.nr, call.args);
        this.settle(next, call.nr, call.args, outcome, call.complete);
        if (next.state !== 'runnable') continue;
      }
      deliverPendingSignals(this, next);
      if (next.state !== 'runnable') continue;
      next.yielded = false;
      if (next !== prev) this.arch.switchTo(next);
      return;
    }
  }

  /** Sends `sig` to every process of group `pgrp` (Ctrl-C on the console). */
  signalGroup(pgrp: number, sig: number): void {
    void signalTargets(this, -pgrp, sig, null);
  }

  /** Raises `sig` for `p` (see proc/signal-delivery.ts); `forced` for the kernel's own signals from faults; `info` says why. */
  signal(p: Process, sig: number, forced = false, info: SigInfo = KERNEL_INFO): void {
    sendSignal(this, p, sig, forced, info);
  }

  /** Retries a call that a handler with SA_RESTART interrupted, now that the handler has returned. */
  resumeCall(p: Process, call: PendingCall): void {
    this.settle(p, call.nr, call.args, this.dispatcher.retry(this, p, call.nr, call.args), call.complete);
  }

  /** Terminates `p` with wait status `status` (see proc/lifecycle.ts). */
  exit(p: Process, status: number): void {
    exitProcess(this, p, status);
  }

  // ---- helpers for service routines ----

  /** A new address space, or null when memory runs out. */
  newSpace(): AddressSpace | null {
    return this.newSpaceFn();
  }

  /** Seconds since the Epoch, from the virtual clock. */
  epochSeconds(): number {
    return this.bootEpochSeconds + Math.floor(this.clock.now() / 1e9);
  }

  /** An inode number for anonymous inodes (pipes). */
  anonIno(): number {
    return this.nextAnonIno++;
  }

  /** Reads user memory of `p`: the bytes, or -EFAULT. */
  copyIn(p: Process, va: number, length: number): Uint8Array | number {
    return p.space ? copyFromUser(this.mem, p.space, va, length) : -E.EFAULT;
  }

  /** Writes user memory of `p`: 0, or -EFAULT (nothing written) or -ENOMEM. */
  copyOut(p: Process, va: number, data: Uint8Array): number {
    return p.space ? copyToUser(this.mem, p.space, va, data) : -E.EFAULT;
  }

  /** Whether `p` could write [va, va+length) now (checks only; a later copyOut of that range cannot fault). */
  writableRange(p: Process, va: number, length: number): boolean {
    return p.space !== null && userAccessible(p.space, va, length, true);
  }

  /** A path or other string from user memory: the string, -EFAULT or -ENAMETOOLONG. */
  readString(p: Process, va: number, limit = PATH_MAX): string | number {
    return p.space ? copyStringFromUser(this.mem, p.space, va, limit) : -E.EFAULT;
  }

  private settle(p: Process, nr: number, args: readonly number[], outcome: SyscallOutcome, complete: (result: number) => void): void {
    if (outcome === NO_RETURN) return;
    if (isBlocked(outcome)) {
      p.pendingCall = { nr, args, complete };
      this.sleep(p, outcome.blocked);
      return;
    }
    complete(outcome);
  }
}
