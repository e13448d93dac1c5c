// Runs a PC live in the terminal: virtual time paced to the wall clock, the VGA text screen
// drawn as it changes, host keys typed on the PC's keyboard, Ctrl-A commands handled. This is
// what `make run` and `tools/pc -display terminal` show.
import type { PC, RunResult } from '../../machine/pc.ts';
import { keystrokeName } from '../screen/input/keys.ts';
import { PREFIX_HELP } from '../screen/input/prefix.ts';
import { writeScreendump } from '../screen/screendump.ts';
import { TerminalSession } from '../screen/terminal/session.ts';
import { describeStop } from './report.ts';

/** How the live run behaves. */
export interface TerminalRunOptions {
  /** Stop after this many instructions. */
  maxInstructions?: number;
  /** Where Ctrl-A S writes its screenshots; `n` counts them from 1. */
  screenshotName?: (n: number) => string;
  /** A line shown under the screen while the guest runs. */
  title?: string;
}

/** How the live run ended: the guest's own end, or the user quitting. */
export type TerminalRunEnd = { kind: 'stopped'; result: RunResult } | { kind: 'quit' };

/** Wall time one turn of the loop may spend running the guest before drawing and reading keys. */
const TURN_MS = 20;
const CHUNK_INSTRUCTIONS = 200_000;

/** Runs `pc` in this terminal until the guest stops for good or the user quits with Ctrl-A X. */
export function runInTerminal(pc: PC, options: TerminalRunOptions = {}): Promise<TerminalRunEnd> {
  const session = new TerminalSession();
  const screenshotName = options.screenshotName ?? ((n: number) => `screenshot-${n}.png`);
  const endInstructions = options.maxInstructions === undefined ? Infinity : pc.cpu.instructions + options.maxInstructions;
  let screenshots = 0;
  let inputEnded = false;
  let finished: RunResult | null = null;
  const startWall = performance.now();
  const startNs = pc.virtualNs();

  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | null = null;
    const finish = (end: TerminalRunEnd): void => {
      if (timer) clearTimeout(timer);
      session.draw(pc.screen);
      session.stop();
      resolve(end);
    };
    session.onKey((key) => {
      try {
        pc.pressKey(keystrokeName(key));
      } catch {
        // A character or key the US PC keyboard does not have (é, a media key): nothing to press.
      }
      schedule(0);
    });
    session.onCommand((command) => {
      if (command === 'quit') finish({ kind: 'quit' });
      else if (command === 'help') session.setStatus(PREFIX_HELP);
      else {
        const file = screenshotName(++screenshots);
        try {
          writeScreendump(pc.screen, file);
          session.setStatus(`screenshot written to ${file}`);
        } catch (error) {
          session.setStatus((error as Error).message);
        }
      }
    });
    session.onInputEnd(() => {
      inputEnded = true;
      schedule(0);
    });

    const turn = (): void => {
      timer = null;
      const turnEnd = performance.now() + TURN_MS;
      const targetNs = startNs + (performance.now() - startWall) * 1e6;
      while (finished === null && performance.now() < turnEnd && pc.virtualNs() < targetNs) {
        const instructions = Math.min(CHUNK_INSTRUCTIONS, endInstructions - pc.cpu.instructions);
        const result = pc.run({ untilNs: targetNs, instructions });
        if (result.reason !== 'limit' || pc.cpu.instructions >= endInstructions) {
          // A halt with interrupts on may still be ended by a key the user has not typed yet.
          const waitingForKeys = result.reason === 'halted' && (pc.cpu.getEflags() & 0x200) !== 0 && !inputEnded;
          if (!waitingForKeys) finished = result;
          break;
        }
      }
      session.draw(pc.screen);
      if (finished !== null) {
        session.setStatus(`${describeStop(pc, finished)} — Ctrl-A X quits`);
        if (!session.outputIsTerminal || inputEnded) finish({ kind: 'stopped', result: finished });
        return;
      }
      schedule(pc.virtualNs() >= targetNs ? 5 : 0);
    };
    const schedule = (delayMs: number): void => {
      if (timer === null && finished === null) timer = setTimeout(turn, delayMs);
    };

    session.start();
    if (options.title) session.setStatus(options.title);
    schedule(0);
  });
}
