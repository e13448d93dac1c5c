// The seed-001 microbenchmark: one getpid round trip through every mechanism the i386 kernel
// serves (I386_MECHANISMS: a mechanism appears here once it is registered there), and
// clock_gettime through the vDSO, which makes no system call at all (present once the kernel
// maps a vDSO). For each: the guest instructions of one pass of tools/bench/guest/libc/roundtrip.asm,
// the cycles the cost model (cycle-model.ts) gives that instruction stream, and host time.
import { readFileSync } from 'node:fs';
import { readElf } from '../../machine/formats/elf-reader.ts';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import { medianPass, pricePasses, type LoopBounds } from './priced-passes.ts';
import { BenchShell, buildBenchSystem } from './shell.ts';
import type { SystemBuild } from '../build/system.ts';

/** One row of the table. */
export interface MechanismRow {
  /** What is called and how: 'getpid, int80', 'clock_gettime, vDSO'. */
  label: string;
  /** Guest instructions of one round trip, the loop's own two or four included. */
  instructions: number;
  /** Cycles of that instruction stream under the cost model. */
  cycles: number;
  /** Host nanoseconds per round trip, by process CPU time (null when not timed). */
  hostNs: number | null;
  /** The model's cycles by cost class. */
  classes: Record<string, { count: number; cycles: number }>;
}

/** Passes stepped and priced per row; the median one is reported. */
const PASSES = 9;
/** Round trips timed on the host per row. */
const HOST_CALLS = 100_000;
/** More passes than any sampling needs: the loop is still running when the machine is dropped. */
const ENDLESS = 1_000_000_000;

/** The loop `symbol` of a program: its address and the next symbol's (where the loop ends). */
function loopBounds(program: Uint8Array, symbol: string): LoopBounds {
  const symbols = readElf(program).symbols.filter((s) => s.name !== '' && s.value !== 0n).map((s) => ({ name: s.name, value: Number(s.value) }));
  const start = symbols.find((s) => s.name === symbol)?.value;
  if (start === undefined) throw new Error(`roundtrip has no symbol ${symbol}`);
  const end = Math.min(...symbols.filter((s) => s.value > start).map((s) => s.value));
  return { start, end };
}

/** Host nanoseconds per call of `roundtrip CALL N`, less what `roundtrip CALL 0` costs. */
function hostNsPerCall(build: SystemBuild, call: string): number {
  const shell = new BenchShell(build);
  shell.toPrompt();
  shell.command(`roundtrip ${call} ${HOST_CALLS}`); // once to warm the host's JIT
  const baseline = shell.command(`roundtrip ${call} 0`);
  const timed = shell.command(`roundtrip ${call} ${HOST_CALLS}`);
  return ((timed.ms - baseline.ms) * 1e6) / HOST_CALLS;
}

/** Measures one row, or null when the program has no such call on this system (it exits at once). */
function measure(build: SystemBuild, program: Uint8Array, label: string, call: string, symbol: string, timed: boolean): MechanismRow | null {
  const shell = new BenchShell(build);
  shell.toPrompt();
  shell.type(`roundtrip ${call} ${ENDLESS}`);
  const prompted = (): boolean => shell.output.endsWith('$ ');
  const passes = pricePasses(shell.pc, loopBounds(program, symbol), PASSES, prompted);
  if (passes === null) return null;
  const pass = medianPass(passes);
  return {
    label,
    instructions: pass.instructions,
    cycles: pass.cycles,
    hostNs: timed ? hostNsPerCall(build, call) : null,
    classes: Object.fromEntries(pass.byClass),
  };
}

/**
 * Every row this build of the kernel and userland can measure: the mechanisms in their order,
 * then the vDSO's time call. Host time is measured when `timed` (it takes a second or two a row).
 */
export async function benchMechanisms(timed = true): Promise<MechanismRow[]> {
  const rows: MechanismRow[] = [];
  let first: { build: SystemBuild; roundtrip: Uint8Array } | null = null;
  for (const mechanism of I386_MECHANISMS) {
    const { build, programs } = await buildBenchSystem(mechanism);
    const roundtrip = new Uint8Array(readFileSync(programs.get('roundtrip')!));
    first ??= { build, roundtrip };
    const row = measure(build, roundtrip, `getpid, ${mechanism}`, 'getpid', 'getpid_loop', timed);
    if (row) rows.push(row);
  }
  const time = first && measure(first.build, first.roundtrip, 'clock_gettime, vDSO', 'vdso-time', 'vdso_time_loop', timed);
  if (time) rows.push(time);
  return rows;
}
