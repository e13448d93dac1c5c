// The time from process start to the first guest instruction, through the same launcher the
// front ends use (Node, the TypeScript loader, building the PC and its boot ROM).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGuest } from './guest/build.ts';

/** The median over `runs` fresh processes, in milliseconds. */
export function benchStartup(runs = 5): number {
  const dir = mkdtempSync(join(tmpdir(), 'startup-'));
  try {
    const kernel = join(dir, 'kernel.bin');
    writeFileSync(kernel, buildGuest('cpubench').image);
    const times = Array.from({ length: runs }, () =>
      Number(execFileSync('tools/bin/launch', ['tools/bench/startup-probe.ts', kernel], { encoding: 'utf8' })),
    ).sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
