import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildUserland } from '../../tools/build/userland.ts';
import { nativeBuild, nativeSkipReason } from './native.ts';

const skip = nativeSkipReason() ?? (existsSync('tools/nasm') && existsSync('tools/ld') ? undefined : 'tools/nasm or tools/ld is missing');
if (skip) it.skip(`userland not built with the project's own tools: ${skip}`, () => {});

// The same sources through this project's assembler and linker (tools/nasm, tools/ld) must
// give programs that do exactly what the ones from the host's nasm and ld do. The output
// directory persists under build/, so only changed sources are assembled again; the first
// build of a fresh checkout starts the assembler once per source and takes a while.
describe.skipIf(skip)("the userland built with the project's own assembler and linker", () => {
  const runs: [string, string[], string][] = [
    ['usertests', [], ''],
    ['errno', [], ''],
    ['faults', [], ''],
    ['printf', ['%5d|%-4s|%#x|%c\\n', '42', 'ab', '255', 'zed'], ''],
    ['wc', [], 'one two\nthree\n'],
    ['sh', [], 'echo hi | cat; false; echo $?\nnosuch\necho "q $?"\n'],
  ];

  it('runs the same as the host-built userland', async () => {
    const own = await buildUserland({ nasm: 'tools/nasm', ld: 'tools/ld', outDir: join('build', 'userland', 'int80-own-tools') });
    const host = await nativeBuild();
    for (const [program, args, input] of runs) {
      const outcome = (dir: string) => {
        const result = spawnSync(join(dir, 'bin', program), args, { input, encoding: 'utf8', env: { PATH: join(dir, 'bin') } });
        return { stdout: result.stdout, stderr: result.stderr, status: result.status };
      };
      expect({ program, ...outcome(own.outDir) }).toEqual({ program, ...outcome(host.outDir) });
    }
  }, 600_000);
});
