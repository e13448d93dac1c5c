// Wait queues: where a blocked system call waits until something it needs happens (data in a
// pipe, a line on the console, a child's exit, a timer). See kernel/README.md, "Blocking calls".

/** Something that can be woken: the kernel makes the process runnable again. */
export interface Sleeper {
  wake(): void;
}

/** A set of sleepers woken together; each woken call retries and may sleep again. */
export class WaitQueue {
  private readonly sleepers = new Set<Sleeper>();

  constructor(
    /** What the queue waits for, shown by ps and in traces ("pipe", "console", "wait4"...). */
    readonly name: string,
  ) {}

  /** Adds `s`; adding twice keeps one entry. */
  add(s: Sleeper): void {
    this.sleepers.add(s);
  }

  /** Removes `s` if it is waiting here. */
  remove(s: Sleeper): void {
    this.sleepers.delete(s);
  }

  /** Wakes every sleeper (in the order they went to sleep) and empties the queue. */
  wakeAll(): void {
    const woken = [...this.sleepers];
    this.sleepers.clear();
    for (const s of woken) s.wake();
  }

  /** How many sleepers wait here. */
  get size(): number {
    return this.sleepers.size;
  }
}

/** A handler's answer "not yet": the caller sleeps on `queue` and the call is retried when woken. */
export interface Blocked {
  readonly blocked: WaitQueue;
}

/** A handler's answer for a call that does not return to the caller (exit, a fatal signal). */
export const NO_RETURN = Symbol('no return');

/** What a service routine answers: a result (>= 0, or -errno), "blocked", or "does not return". */
export type SyscallOutcome = number | Blocked | typeof NO_RETURN;

/** The outcome "sleep on `queue`, retry when woken". */
export function block(queue: WaitQueue): Blocked {
  return { blocked: queue };
}

/** Whether an outcome is a "blocked" answer. */
export function isBlocked(outcome: SyscallOutcome): outcome is Blocked {
  return typeof outcome === 'object';
}
