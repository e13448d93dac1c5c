// Two whole-system figures for `make bench`: the time from reset to the summary line of
// usertests (run as init, so no typing is in it), and the throughput of the console path: the
// characters per second that printf in a guest program gets to the VGA text memory (through
// the libc's stdout buffer, write(), the kernel's console and its VGA writer, scrolling included).
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import { BenchShell, buildBenchSystem, type Cost } from './shell.ts';

/** Reset to the usertests summary with one mechanism's userland. */
export interface UsertestsFigures extends Cost {
  mechanism: string;
  summary: string;
}

/** The console path's throughput. */
export interface PrintfFigures {
  lines: number;
  characters: number;
  /** Characters per second of host CPU time. */
  hostCharsPerSecond: number;
  /** Characters per second of the guest's virtual time. */
  virtualCharsPerSecond: number;
  instructionsPerCharacter: number;
}

const SUMMARY = /usertests: \d+ passed, \d+ failed\n/;
/** Lines printloop prints: enough that the program's start and exit are small beside them. */
const PRINTF_LINES = 3000;

/** From reset to the usertests summary, usertests being init, for every mechanism. */
export async function benchUsertests(): Promise<UsertestsFigures[]> {
  const figures: UsertestsFigures[] = [];
  for (const mechanism of I386_MECHANISMS) {
    const { build } = await buildBenchSystem(mechanism);
    const shell = new BenchShell(build, ['/bin/usertests']);
    const cost = shell.runUntil(() => SUMMARY.test(shell.output), 'usertests printed no summary');
    figures.push({ mechanism, summary: SUMMARY.exec(shell.output)![0].trim(), ...cost });
  }
  return figures;
}

/** printloop at the shell, less what starting it costs (`printloop 0`). */
export async function benchPrintf(): Promise<PrintfFigures> {
  const { build } = await buildBenchSystem(I386_MECHANISMS[0]!);
  const shell = new BenchShell(build);
  shell.toPrompt();
  const run = (lines: number): Cost & { characters: number } => {
    const before = shell.consoleBytes;
    const cost = shell.command(`printloop ${lines}`);
    return { ...cost, characters: shell.consoleBytes - before };
  };
  run(PRINTF_LINES); // once to warm the host's JIT
  const baseline = run(0);
  const timed = run(PRINTF_LINES);
  const characters = timed.characters - baseline.characters;
  return {
    lines: PRINTF_LINES,
    characters,
    hostCharsPerSecond: characters / ((timed.ms - baseline.ms) / 1000),
    virtualCharsPerSecond: characters / ((timed.virtualNs - baseline.virtualNs) / 1e9),
    instructionsPerCharacter: (timed.instructions - baseline.instructions) / characters,
  };
}
