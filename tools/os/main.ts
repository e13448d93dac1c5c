// `make run`: builds what is missing (userland, initramfs, kernel ROM), boots the PC with the
// kernel behind the bridge, and shows it live in this terminal, or runs it headless
// (--headless) for scripts. Exit status: 0, 1 when the run failed (a panic, --until not seen,
// a build error), 2 for a bad command line or something not implemented yet.
import { writeFileSync } from 'node:fs';
import { writeScreendump, screendumpFormat } from '../screen/screendump.ts';
import { screenText } from '../screen/snapshot.ts';
import { runInTerminal } from '../frontend/terminal-loop.ts';
import { describeStop } from '../frontend/report.ts';
import { buildSystem } from '../build/system.ts';
import { createKernelPc } from './kernel-pc.ts';
import { NotImplementedError, parseRunOptions, RUN_USAGE, UsageError, type RunOptions } from './options.ts';
import { runHeadless } from './session.ts';
import type { PC } from '../../machine/pc.ts';
import type { I386System } from '../../kernel/arch/i386/system.ts';

/** Bounds the wait for the serial backlog (a guest that keeps printing never drains it). */
const SERIAL_DRAIN_INSTRUCTIONS = 50_000_000;
/** The 16 bytes of the transmit FIFO at 115200 baud, 10 bits each: under 1.5 ms; wait 2. */
const FIFO_DRAIN_NS = 2e6;

/** Bytes leave COM1 at line rate: after the screen stopped, let what the console printed finish leaving. */
function drainSerial(pc: PC, system: I386System): void {
  if (system.panicMessage !== null) return;
  pc.run({ instructions: SERIAL_DRAIN_INSTRUCTIONS, until: () => system.serialBacklog() === 0 });
  pc.run({ untilNs: pc.virtualNs() + FIFO_DRAIN_NS });
}

async function run(o: RunOptions): Promise<number> {
  if (o.screendump !== null) {
    const format = screendumpFormat(o.screendump);
    if (typeof format !== 'string') throw new UsageError(format.error);
  }
  const built = await buildSystem(o.abi);
  const { pc, system } = createKernelPc({ kernel: built.kernel, initramfs: built.initramfs, vendor: o.cpu, sep: o.sep });
  let serialSent = 0;
  const flushSerial = (): void => {
    if (o.serial === null || serialSent === pc.serial.length) return;
    const bytes = Uint8Array.from(pc.serial.slice(serialSent));
    serialSent = pc.serial.length;
    if (o.serial === 'stdio') process.stdout.write(bytes);
  };
  let status = 0;
  if (o.headless) {
    const end = runHeadless(pc, system, o.type, { until: o.until, maxInstructions: o.maxInstructions, onSlice: flushSerial });
    flushSerial();
    if (end.reason !== 'until' && end.reason !== 'input' && end.reason !== 'limit') {
      process.stderr.write(`run: ${end.report ?? end.reason}\n`);
      status = 1;
    } else if (end.report !== null) {
      process.stderr.write(`run: ${end.report}\n`);
      status = 1;
    }
    if (o.screendump === null && o.serial !== 'stdio') process.stdout.write(`${screenText(pc.screen)}\n`);
  } else {
    if (o.type) pc.typeText(o.type);
    const end = await runInTerminal(pc, { maxInstructions: o.maxInstructions ?? undefined, title: `syscall-kit ${o.arch} ${o.abi} (${o.cpu}${o.sep ? '' : ',-sep'}) — Ctrl-A X quits, Ctrl-A S screenshot` });
    if (end.kind === 'stopped' && end.result.reason !== 'limit') {
      process.stderr.write(`run: ${system.panicMessage ?? describeStop(pc, end.result)}\n`);
      status = 1;
    }
  }
  if (o.screendump !== null) writeScreendump(pc.screen, o.screendump);
  if (o.serial !== null) {
    drainSerial(pc, system);
    flushSerial();
  }
  if (o.serial !== null && o.serial !== 'stdio') writeFileSync(o.serial, Uint8Array.from(pc.serial));
  return status;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const options = parseRunOptions(argv);
    if (options.help) {
      process.stdout.write(`${RUN_USAGE}\n`);
      return 0;
    }
    return await run(options);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`run: ${error.message}\n${RUN_USAGE}\n`);
      return 2;
    }
    if (error instanceof NotImplementedError) {
      process.stderr.write(`run: not implemented yet: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`run: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
