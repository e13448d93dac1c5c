// Builds the userland with the host's nasm and ld and runs its programs natively: the
// programs use Linux's i386 system-call numbers and errno values, so on an x86 Linux host
// with 32-bit support the real kernel is the oracle for what they must do.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildUserland, type UserlandBuild } from '../../tools/build/userland.ts';

/** Why the native programs cannot run here, or undefined when they can. */
export function nativeSkipReason(): string | undefined {
  if (process.platform !== 'linux') return `the host is ${process.platform}, not Linux`;
  if (process.arch !== 'x64' && process.arch !== 'ia32') return `the host CPU is ${process.arch}, not x86`;
  for (const tool of ['nasm', 'ld']) {
    if (spawnSync(tool, ['-v'], { stdio: 'ignore' }).status !== 0) return `the host has no ${tool}`;
  }
  if (!canRun32()) return 'the host kernel does not run 32-bit x86 programs';
  return undefined;
}

let canRun: boolean | undefined;

// Links a two-instruction i386 program (exit(42) through int 0x80) and runs it.
function canRun32(): boolean {
  if (canRun !== undefined) return canRun;
  const dir = mkdtempSync(join(tmpdir(), 'run32-'));
  writeFileSync(join(dir, 'p.asm'), 'global _start\n_start: mov eax, 1\nmov ebx, 42\nint 0x80\n');
  const ok =
    spawnSync('nasm', ['-f', 'elf32', '-o', join(dir, 'p.o'), join(dir, 'p.asm')]).status === 0 &&
    spawnSync('ld', ['-m', 'elf_i386', '-o', join(dir, 'p'), join(dir, 'p.o')]).status === 0 &&
    spawnSync(join(dir, 'p')).status === 42;
  canRun = ok;
  return ok;
}

const builds = new Map<string, Promise<UserlandBuild>>();

/** The userland built once per test file with the host's nasm and ld, for a mechanism (int80 by default). */
export function nativeBuild(abi = 'int80'): Promise<UserlandBuild> {
  let build = builds.get(abi);
  if (!build) {
    build = buildUserland({ abi, nasm: 'nasm', ld: 'ld' });
    builds.set(abi, build);
  }
  return build;
}

/** What one run of a program did. */
export interface Run {
  stdout: string;
  stderr: string;
  /** The exit status, or null when a signal ended it. */
  status: number | null;
  signal: NodeJS.Signals | null;
}

/** Where a program runs: its directory and environment (PATH=/bin:/usr/bin unless given). */
export interface Where {
  cwd?: string;
  env?: Record<string, string>;
}

/** Runs a program of the build with arguments and standard input. */
export async function run(program: string, args: string[] = [], input = '', where: Where = {}): Promise<Run> {
  const { programs } = await nativeBuild();
  const path = programs.get(program);
  if (path === undefined) throw new Error(`no program ${program} in the userland build`);
  const env = where.env ?? { PATH: '/bin:/usr/bin' };
  const result = spawnSync(path, args, { input, cwd: where.cwd, encoding: 'utf8', env });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status, signal: result.signal };
}
