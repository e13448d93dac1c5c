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

/** Runs the guest on all three and returns MIPS per phase. */
export async function benchCpuPhases(): Promise<PhaseFigures[]> {
  const image = buildGuest('cpubench').image;
  const expected = phases(readParams('tools/bench/guest/params.inc'));
  const ours = runOurs(image, expected);
  const interpreter = await runV86(image, expected, false);
  const jit = await runV86(image, expected, true);
  const mips = (instructions: number, ms: number | undefined): number => (ms ? instructions / ms / 1000 : NaN);
  return expected.map((phase) => ({
    name: phase.name,
    instructions: phase.instructions,
    oursMips: mips(phase.instructions, ours.get(phase.code)),
    v86InterpreterMips: mips(phase.instructions, interpreter.get(phase.code)),
    v86JitMips: mips(phase.instructions, jit.get(phase.code)),
  }));
}

/** One phase of the 64-bit guest next to the same phase of the 32-bit one. */
export interface LongPhaseFigures {
  name: string;
  instructions: number;
  mips64: number;
  mips32: number;
}

/** Runs cpubench64.asm (the phases in 64-bit mode) and cpubench.asm on our PC; MIPS of both. */
export function benchCpuPhases64(): LongPhaseFigures[] {
  const params = readParams('tools/bench/guest/params.inc');
  const expected64 = phases64(params), expected32 = phases(params);
  const ours64 = runOurs(buildGuest('cpubench64').image, expected64);
  const ours32 = runOurs(buildGuest('cpubench').image, expected32);
  return expected64.map((phase, i) => ({
    name: phase.name,
    instructions: phase.instructions,
    mips64: phase.instructions / ours64.get(phase.code)! / 1000,
    mips32: expected32[i].instructions / ours32.get(phase.code)! / 1000,
  }));
}
