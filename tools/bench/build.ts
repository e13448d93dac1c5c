// The time to assemble and link everything the repository builds, from nothing: the userland
// (libc and every program) and the kernel's boot ROM, with the project's own tools in-process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKernelRom } from '../build/kernel.ts';
import { buildUserland } from '../build/userland.ts';

/** Milliseconds of process CPU time for a build into an empty folder (the second of two, the JIT warm). */
export async function benchFullBuild(): Promise<{ ms: number; programs: number }> {
  let figures = { ms: 0, programs: 0 };
  for (let round = 0; round < 2; round++) {
    const outDir = mkdtempSync(join(tmpdir(), 'full-build-'));
    try {
      const start = process.cpuUsage();
      const userland = await buildUserland({ outDir });
      buildKernelRom();
      const used = process.cpuUsage(start);
      figures = { ms: (used.user + used.system) / 1000, programs: userland.programs.size };
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }
  return figures;
}
