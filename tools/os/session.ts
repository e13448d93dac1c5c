// One run of the operating system without a live screen: boot, type the keys, stop on a
// condition. `tools/run --headless` and the tests drive the machine through this.
import type { PC, RunResult } from '../../machine/pc.ts';
import type { I386System } from '../../kernel/arch/i386/system.ts';

/** When to stop a headless run. */
export interface StopWhen {
  /** TEXT appeared on the console after the typed input was read. */
  until?: string | null;
  /** Guest instructions from now. */
  maxInstructions?: number | null;
  /** Called after every slice of execution (to pass serial output on as it leaves the UART). */
  onSlice?: () => void;
}

/** How a headless run ended. */
export interface HeadlessEnd {
  /** 'until' (TEXT seen), 'input' (waiting for keys nobody will type), 'limit', or the machine's own stop. */
  reason: 'until' | 'input' | RunResult['reason'];
  report: string | null;
}

const SLICE = 200_000;

/** Console output collected since the typed input was consumed, to look for --until's TEXT in. */
export class OutputWatch {
  private text = '';
  private armed = false;
  /** The keyboard byte count at which every typed character has been read. */
  private readonly typedEnd: number;

  constructor(
    private readonly system: I386System,
    typed: string,
  ) {
    this.typedEnd = system.keyboardBytes + typed.length;
    system.onConsoleOutput((bytes) => {
      if (!this.armed && this.inputConsumed()) this.armed = true;
      if (this.armed) this.text = (this.text + Buffer.from(bytes).toString('latin1')).slice(-4096);
    });
  }

  /** Whether the kernel has read every typed character (key releases may still be on their way). */
  inputConsumed(): boolean {
    return this.system.keyboardBytes >= this.typedEnd;
  }

  /** Starts looking once the input is consumed; true when TEXT has been written since. */
  seen(text: string): boolean {
    if (!this.armed && this.inputConsumed()) this.armed = true;
    return this.armed && this.text.includes(text);
  }
}

/** Types `keys`, then runs until a stop condition; with no TEXT and no limit, until the machine waits for keys. */
export function runHeadless(pc: PC, system: I386System, keys: string, stop: StopWhen): HeadlessEnd {
  const watch = new OutputWatch(system, keys);
  if (keys) pc.typeText(keys);
  const end = stop.maxInstructions == null ? Infinity : pc.cpu.instructions + stop.maxInstructions;
  const until = stop.until ?? null;
  for (;;) {
    if (until !== null && watch.seen(until)) return { reason: 'until', report: null };
    if (watch.inputConsumed() && system.waitingForInput()) {
      return { reason: 'input', report: until === null ? null : `'${until}' did not appear, and the system waits for input` };
    }
    if (pc.cpu.instructions >= end) {
      const report = until !== null ? `'${until}' did not appear within ${stop.maxInstructions} instructions` : null;
      return { reason: 'limit', report };
    }
    const result = pc.run({ instructions: Math.min(SLICE, end - pc.cpu.instructions), until: () => (until !== null && watch.seen(until)) || (system.waitingForInput() && watch.inputConsumed()) });
    stop.onSlice?.();
    if (result.reason !== 'limit' && result.reason !== 'until') return { reason: result.reason, report: system.panicMessage ?? result.report };
  }
}
