// The CPU benchmark: the phases of tools/bench/guest/cpubench.asm on our PC and, in the same run,
// on v86 with its JIT off (its interpreter, the bar) and on (for reference). Each phase's exact
// instruction count comes from guest/phases.ts; our CPU's own count is checked against it.
import { PC } from '../../machine/pc.ts';
import { buildGuest } from './guest/build.ts';
import { phases, phases64, readParams, RESULTS_ADDRESS, type Phase } from './guest/phases.ts';
import { runOnV86 } from './peers/v86.ts';

/** One phase's figures on every emulator. */
export interface PhaseFigures {
  name: string;
  instructions: number;
  oursMips: number;
  v86InterpreterMips: number;
  v86JitMips: number;
}

/** Process CPU time in ms: a busy host inflates wall time but not this. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Runs a benchmark guest on our PC; the CPU time of each phase, after checking its count and result. */
function runOurs(image: Uint8Array, expected: Phase[]): Map<number, number> {
  const marks: { code: number; ms: number; instructions: number }[] = [];
  const pc: PC = new PC({ boot: { multiboot: { kernel: image } }, onPostCode: (code) => marks.push({ code, ms: cpuMs(), instructions: pc.cpu.instructions }) });
  const result = pc.run({ instructions: 2_000_000_000 });
  if (result.reason !== 'exit') throw new Error(`the benchmark guest did not finish on our PC: ${result.reason} ${result.report ?? ''}`);
  const view = new DataView(pc.readPhysical(RESULTS_ADDRESS, expected.length * 4).buffer);
  const times = new Map<number, number>();
  expected.forEach((phase, i) => {
    const start = marks.findIndex((m) => m.code === phase.code);
    const executed = marks[start + 1].instructions - marks[start].instructions;
    // The POST code's own `out` retires after the listener hears it, so the interval is exact.
    if (executed !== phase.instructions) throw new Error(`phase ${phase.code}: our CPU executed ${executed} instructions, the model says ${phase.instructions}`);
    if (view.getUint32(4 * i, true) !== phase.expected) throw new Error(`phase ${phase.code}: our PC computed a wrong result`);
    times.set(phase.code, marks[start + 1].ms - marks[start].ms);
  });
  return times;
}

async function runV86(image: Uint8Array, expected: Phase[], jit: boolean): Promise<Map<number, number>> {
  const run = await runOnV86(image, { jit, resultsAddress: RESULTS_ADDRESS, resultCount: expected.length });
  expected.forEach((phase, i) => {
    if (run.results[i] !== phase.expected) throw new Error(`phase ${phase.code}: v86 computed a wrong result`);
  });
  return new Map(run.phases.map((p) => [p.code, p.milliseconds]));
}

/** Rounds of each measurement: the shared host moves single runs by tens of percent, so each figure is a median. */
const ROUNDS = 3;

/** The median of each phase's times over the rounds. */
function medians(rounds: Map<number, number>[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const code of rounds[0].keys()) {
    const times = rounds.map((r) => r.get(code) ?? NaN).sort((a, b) => a - b);
    out.set(code, times[times.length >> 1]);
  }
  return out;
}

function mips(instructions: number, ms: number | undefined): number {
  return ms ? instructions / ms / 1000 : NaN;
}

/** Runs the guest on all three, rounds alternating between them, and returns median MIPS per phase. */
export async function benchCpuPhases(): Promise<PhaseFigures[]> {
  const image = buildGuest('cpubench').image;
  const expected = phases(readParams('tools/bench/guest/params.inc'));
  const ours: Map<number, number>[] = [], interpreter: Map<number, number>[] = [], jit: Map<number, number>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    ours.push(runOurs(image, expected));
    interpreter.push(await runV86(image, expected, false));
    jit.push(await runV86(image, expected, true));
  }
  const [o, i, j] = [ours, interpreter, jit].map(medians);
  return expected.map((phase) => ({
    name: phase.name,
    instructions: phase.instructions,
    oursMips: mips(phase.instructions, o.get(phase.code)),
    v86InterpreterMips: mips(phase.instructions, i.get(phase.code)),
    v86JitMips: mips(phase.instructions, j.get(phase.code)),
  }));
}

/** One phase of the 64-bit guest next to the same phase of the 32-bit one. */
export interface LongPhaseFigures {
  name: string;
  instructions: number;
  mips64: number;
  mips32: number;
}

/** Runs cpubench64.asm (the phases in 64-bit mode) and cpubench.asm on our PC, alternately; median MIPS of both. */
export function benchCpuPhases64(): LongPhaseFigures[] {
  const params = readParams('tools/bench/guest/params.inc');
  const expected64 = phases64(params), expected32 = phases(params);
  const image64 = buildGuest('cpubench64').image, image32 = buildGuest('cpubench').image;
  const rounds64: Map<number, number>[] = [], rounds32: Map<number, number>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rounds64.push(runOurs(image64, expected64));
    rounds32.push(runOurs(image32, expected32));
  }
  const [ours64, ours32] = [rounds64, rounds32].map(medians);
  return expected64.map((phase, i) => ({
    name: phase.name,
    instructions: phase.instructions,
    mips64: mips(phase.instructions, ours64.get(phase.code)),
    mips32: mips(expected32[i].instructions, ours32.get(phase.code)),
  }));
}
