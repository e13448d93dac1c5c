// `tools/pc`: the bare PC for any image, driven like QEMU. Exit status: the isa-debug-exit
// status when the guest wrote one ((value << 1) | 1, as QEMU computes it), 1 for bad usage or a
// bad image, 0 otherwise (with a report on stderr when the CPU stopped abnormally).
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { BootImageError } from '../../machine/boot/multiboot-header.ts';
import { PC, type RunResult } from '../../machine/pc.ts';
import { writeScreendump } from '../screen/screendump.ts';
import { parsePcOptions, UsageError, type PcOptions, type Sink } from './pc-options.ts';
import { stopReport } from './report.ts';
import { runInTerminal } from './terminal-loop.ts';

const SLICE = 1_000_000;

function readInput(what: string, path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`cannot read ${what} '${path}': ${reason}`);
  }
}

/** A destination for guest bytes that the run loop drains into. */
function openSink(sink: Sink, what: string): ((bytes: number[]) => void) & { close(): void } {
  let fd: number | null = null;
  if (sink.kind === 'file') {
    try {
      fd = openSync(sink.path, 'w');
    } catch (error) {
      throw new UsageError(`cannot open ${what} file '${sink.path}': ${(error as Error).message}`);
    }
  }
  const write = (bytes: number[]): void => {
    if (bytes.length === 0 || sink.kind === 'none') return;
    if (fd !== null) writeSync(fd, Uint8Array.from(bytes));
    else process.stdout.write(Uint8Array.from(bytes));
  };
  return Object.assign(write, { close: () => (fd !== null ? closeSync(fd) : undefined) });
}

function buildPc(options: PcOptions): PC {
  const common = { ramBytes: options.ramBytes, vendor: options.vendor, sep: options.sep };
  try {
    if (options.bios !== null) return new PC({ ...common, boot: { rom: readInput('ROM', options.bios) } });
    const kernel = readInput('kernel', options.kernel!);
    const modules = options.modules.map((m) => ({ data: readInput('module', m.path), commandLine: m.commandLine }));
    return new PC({ ...common, boot: { multiboot: { kernel, commandLine: options.append, modules } } });
  } catch (error) {
    if (error instanceof BootImageError) throw new UsageError(`cannot boot '${options.kernel ?? options.bios}': ${error.message}`);
    throw error;
  }
}

/** Runs without a display, draining serial and debug-console output as the guest produces it. */
async function runHeadless(pc: PC, options: PcOptions, drain: () => void): Promise<RunResult> {
  if (options.serial.kind === 'stdio' && !process.stdin.isTTY) {
    process.stdin.on('data', (chunk: Buffer) => pc.serialInput(chunk));
  }
  const end = options.maxInstructions === null ? Infinity : options.maxInstructions;
  for (;;) {
    const result = pc.run({ instructions: Math.min(SLICE, end - pc.cpu.instructions) });
    drain();
    if (result.reason !== 'limit' || pc.cpu.instructions >= end) return result;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function main(argv: string[]): Promise<number> {
  const options = parsePcOptions(argv);
  const pc = buildPc(options);
  const serial = openSink(options.serial, 'serial');
  const debugcon = openSink(options.debugcon, 'debugcon');
  const drain = (): void => {
    serial(pc.serial.splice(0));
    debugcon(pc.debugConsole.splice(0));
  };
  let result: RunResult | null;
  if (options.display === 'terminal') {
    const end = await runInTerminal(pc, {
      ...(options.maxInstructions !== null ? { maxInstructions: options.maxInstructions } : {}),
      title: 'tools/pc — Ctrl-A H for help',
    });
    result = end.kind === 'stopped' ? end.result : null;
    drain();
  } else {
    result = await runHeadless(pc, options, drain);
  }
  serial.close();
  debugcon.close();
  if (options.screendump !== null) writeScreendump(pc.screen, options.screendump);
  if (result && result.reason !== 'exit') process.stderr.write(stopReport(pc, result));
  return pc.exitStatus ?? 0;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    const message = error instanceof UsageError ? error.message : `internal error: ${(error as Error).message}`;
    process.stderr.write(`tools/pc: ${message}\n`);
    process.exit(1);
  },
);
