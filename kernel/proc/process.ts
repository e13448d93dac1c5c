// A process: its identity and family, its address space, files and working directory, and the
// state of the system call it is in when it sleeps.
import type { FdTable } from '../fs/fdtable.ts';
import type { Inode } from '../fs/inode.ts';
import type { AddressSpace } from '../mm/address-space.ts';
import type { UserAbi } from '../syscalls/abi.ts';
import type { Mechanism } from '../syscalls/mechanisms.ts';
import type { TraceSession } from '../trace/session.ts';
import { SignalHandlers } from './sigaction.ts';
import { PendingSignals } from './siginfo.ts';
import { WaitQueue, type Sleeper } from './wait-queue.ts';

/** Where a process is in its life: 'runnable' includes the one running now. */
export type ProcessState = 'runnable' | 'blocked' | 'stopped' | 'zombie';

/** A system call that blocked: retried with the same arguments when the process is woken. */
export interface PendingCall {
  readonly nr: number;
  readonly args: readonly number[];
  /** Stores the final result where the caller's entry path expects it (its trap frame). */
  readonly complete: (result: number) => void;
}

/** One process. */
export class Process implements Sleeper {
  readonly children = new Set<Process>();
  /** Where waitpid/wait4 sleep until a child changes state. */
  readonly childWait = new WaitQueue('wait4');
  /** Where nanosleep sleeps until its timer fires. */
  readonly sleepWait = new WaitQueue('nanosleep');
  state: ProcessState = 'runnable';
  /** The queue the process sleeps on while blocked. */
  waitingOn: WaitQueue | null = null;
  pendingCall: PendingCall | null = null;
  /** A call interrupted by a handler with SA_RESTART, until that handler's frame is built. */
  suspendedCall: PendingCall | null = null;
  /** Per signal frame on the user stack (innermost last): the call to retry at its rt_sigreturn, or null. */
  readonly frameCalls: (PendingCall | null)[] = [];
  /** Signal dispositions and the blocked mask. */
  handlers = new SignalHandlers();
  /**
   * Progress a blocked call keeps across retries (bytes a pipe write has taken, nanosleep's
   * deadline); null when the call starts fresh. Cleared when a call completes.
   */
  restartData: number | null = null;
  /** Fatal signals waiting to be acted on when the process next leaves the kernel. */
  readonly pendingSignals = new PendingSignals();
  /** The signal that stopped the process, while it is stopped. */
  stopSignal = 0;
  /** A stop or continue its parent has not collected yet with WUNTRACED / WCONTINUED. */
  jobEvent: 'stopped' | 'continued' | null = null;
  /** The wait status once the process has exited (zombie). */
  exitStatus = 0;
  /** The command name (comm): the file name of the program, at most 15 bytes. */
  name = '';
  /** Start and current end of the heap (brk). */
  brkStart = 0;
  brk = 0;
  /** How many times the process has called execve (seeds AT_RANDOM). */
  execCount = 0;
  /** The process asked to give up the CPU (sched_yield). */
  yielded = false;
  /** The page of its argument block (KernelConfig.argBlockPage) when exec could map it, else null. */
  argBlock: number | null = null;
  /** How the process entered the kernel for its latest system call (strace shows it). */
  mechanism: Mechanism = 'int80';
  /** The kit_trace session tracing this process, if any. */
  trace: TraceSession | null = null;
  /** What the architecture keeps per process: kernel stack, saved stack pointer. */
  arch: unknown = null;

  constructor(
    readonly pid: number,
    public parent: Process | null,
    public pgid: number,
    public space: AddressSpace | null,
    public files: FdTable,
    public cwd: Inode,
    readonly abi: UserAbi,
    private readonly onWake: (p: Process) => void,
  ) {}

  /** Makes the process runnable again (its pending call is retried when it is scheduled). */
  wake(): void {
    this.onWake(this);
  }

  /** The parent's pid, 0 for init. */
  get ppid(): number {
    return this.parent?.pid ?? 0;
  }
}
