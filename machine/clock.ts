// Virtual time for the whole PC. Devices schedule callbacks at virtual instants; the machine runs
// the CPU up to the next instant, converts the instructions it executed into nanoseconds and
// calls advanceTo, which fires what is due. Nothing here reads the host's clock, so every run
// with the same inputs sees the same times.
//
// The machine's loop, in short: setTimeSource(() => base + instructions * nsPerInstruction) so
// devices polled inside a run see time move; run the CPU for at most the instructions left until
// nextEventAt(); advanceTo(the time those instructions took); when the CPU halts, add the idle
// gap to `base` and advanceTo(nextEventAt()); after each advance let the CPU look at its
// interrupt source again, since events may have raised an IRQ.

import type { Clock, Timer } from './interfaces.ts';

interface Event {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** A binary min-heap on (at, seq): equal times fire in the order they were scheduled. */
function before(a: Event, b: Event): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** The deterministic event-queue clock every device of one machine shares. */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly heap: Event[] = [];
  private source: (() => number) | null = null;

  /** Nanoseconds since power-on; with a time source attached, time moves forward lazily up to the next event. */
  now(): number {
    if (this.source !== null) {
      const t = this.source();
      if (t > this.time) this.time = Math.min(t, this.nextEventAt());
    }
    return this.time;
  }

  /** Schedules `fn` at `atNs`; a time already past fires at the current time on the next advance. */
  at(atNs: number, fn: () => void): Timer {
    if (!Number.isFinite(atNs)) throw new RangeError(`clock: cannot schedule an event at ${atNs} ns`);
    const event: Event = { at: Math.max(atNs, this.time), seq: this.seq++, fn, cancelled: false };
    this.push(event);
    return {
      cancel: () => {
        event.cancelled = true;
      },
    };
  }

  /** The time of the earliest pending event, or Infinity when nothing is scheduled. */
  nextEventAt(): number {
    this.dropCancelled();
    return this.heap.length === 0 ? Infinity : this.heap[0]!.at;
  }

  /**
   * Moves time forward to `ns`, firing every event due by then in time order (ties in scheduling
   * order); events scheduled by a callback for a time up to `ns` fire in the same call. During a
   * callback, now() is that event's time. Time never moves backwards.
   */
  advanceTo(ns: number): void {
    if (Number.isNaN(ns)) throw new RangeError('clock: cannot advance to NaN');
    const target = Math.max(ns, this.time);
    for (;;) {
      this.dropCancelled();
      const top = this.heap[0];
      if (top === undefined || top.at > target) break;
      this.pop();
      if (top.at > this.time) this.time = top.at;
      top.fn();
    }
    this.time = target;
  }

  /**
   * Lets now() follow `source` (for example the executed-instruction count converted to ns)
   * between advances, so a device polled in a loop sees time move; it never passes a pending event.
   */
  setTimeSource(source: (() => number) | null): void {
    this.source = source;
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
  }

  private push(event: Event): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(event, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = event;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }
}
