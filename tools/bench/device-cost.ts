// What device activity costs the emulator: the same guest loop with devices idle, then with the
// PIT interrupting at 1 kHz and COM1 transmitting without pause (tools/bench/guest/devbench.asm).
import { PC } from '../../machine/pc.ts';
import { buildGuest, type Guest } from './guest/build.ts';

/** The two phases' speeds and what happened during the busy one. */
export interface DeviceCost {
  idleMips: number;
  busyMips: number;
  /** How much slower the busy phase ran, in percent (the bar: under 10). */
  slowdownPercent: number;
  timerInterrupts: number;
  serialBytes: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Rounds after the warm-up run: single runs on a shared host move by tens of percent either way. */
const ROUNDS = 5;

/**
 * Runs the device benchmark guest on our PC once to warm the JIT, then ROUNDS times, and compares
 * the best speed of each phase: a busy host only ever slows a phase down, so the best of several
 * rounds is the figure least disturbed by it.
 */
export function benchDeviceCost(): DeviceCost {
  const guest = buildGuest('devbench');
  runGuest(guest);
  const rounds = Array.from({ length: ROUNDS }, () => runGuest(guest));
  const idleMips = Math.max(...rounds.map((r) => r.idleMips));
  const busyMips = Math.max(...rounds.map((r) => r.busyMips));
  return { ...rounds[0]!, idleMips, busyMips, slowdownPercent: (1 - busyMips / idleMips) * 100 };
}

function runGuest(guest: Guest): DeviceCost {
  const marks: { ms: number; instructions: number }[] = [];
  const pc: PC = new PC({ boot: { multiboot: { kernel: guest.image } }, onPostCode: () => marks.push({ ms: cpuMs(), instructions: pc.cpu.instructions }) });
  const result = pc.run({ instructions: 500_000_000 });
  if (result.reason !== 'exit' || marks.length !== 3) throw new Error(`the device benchmark guest did not finish: ${result.reason}`);
  const mips = (a: number, b: number): number => (marks[b].instructions - marks[a].instructions) / (marks[b].ms - marks[a].ms) / 1000;
  const idleMips = mips(0, 1);
  const busyMips = mips(1, 2);
  const word = (label: string): number => new DataView(pc.readPhysical(guest.address(label), 4).buffer).getUint32(0, true);
  return {
    idleMips,
    busyMips,
    slowdownPercent: (1 - busyMips / idleMips) * 100,
    timerInterrupts: word('ticks'),
    serialBytes: pc.serial.length,
  };
}
