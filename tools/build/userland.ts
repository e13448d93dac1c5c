// Builds the userland: assembles the libc and every program under userland/bin (one
// NAME.asm, or a folder NAME/ of sources for a bigger one), and links each program
// statically with crt0 and the whole libc. The assembler and the linker come from the NASM and
// LD environment variables, so the same build runs with the host's nasm and ld; by default they
// are this repository's assembler and linker, called in this process (a command per file would
// spend most of the build starting Node).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic } from '../asm/diagnostics.ts';
import { assemblePath } from '../asm/toolchain.ts';
import { link } from '../linker/link.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** What to build and with which tools. */
export interface UserlandOptions {
  /** The system-call mechanism: userland/include/abi/NAME.inc (default int80). */
  abi?: string;
  /** Where objects and programs go (default build/userland/ABI). */
  outDir?: string;
  /** The folder of programs to build and link with the libc (default userland/bin; tests pass their own). */
  programsDir?: string;
  /** The assembler command; default $NASM, else this repository's assembler. */
  nasm?: string;
  /** The linker command; default $LD, else this repository's linker. */
  ld?: string;
}

/** The result of a build: where each program is. */
export interface UserlandBuild {
  outDir: string;
  /** Program name -> path of the linked executable. */
  programs: Map<string, string>;
}

/** A build failure with the message a user should see (the tool's own diagnostics). */
export class BuildError extends Error {}

/** The mechanisms that have an abi/*.inc file, so the build can say which exist. */
export function availableAbis(root: string = ROOT): string[] {
  const dir = join(root, 'userland/include/abi');
  return readdirSync(dir).filter((f) => f.endsWith('.inc')).map((f) => f.slice(0, -4)).sort();
}

/** Assembles and links what is out of date; throws BuildError with the tool's messages on failure. */
export async function buildUserland(options: UserlandOptions = {}): Promise<UserlandBuild> {
  const abi = options.abi ?? 'int80';
  if (!availableAbis().includes(abi)) {
    throw new BuildError(`unknown system-call mechanism '${abi}': userland/include/abi has ${availableAbis().join(', ')}`);
  }
  const nasm = command(options.nasm ?? process.env.NASM);
  const ld = command(options.ld ?? process.env.LD);
  const outDir = resolve(options.outDir ?? join(ROOT, 'build/userland', abi));
  const include = join(ROOT, 'userland/include');
  const headers = listFiles(include, '.inc', true);

  // Sources find includes in userland/include and in their own folder.
  const assemble = (src: string, obj: string) => async (): Promise<void> => {
    const local = dirname(src);
    if (upToDate(obj, [src, ...headers, ...listFiles(local, '.inc', false)])) return;
    const includes = [include + '/', local + '/'];
    const define = `"abi/${abi}.inc"`;
    await produce(obj, (tmp) =>
      nasm === null
        ? assembleHere(src, tmp, includes, define)
        : run(nasm, ['-f', 'elf32', `-DABI_FILE=${define}`, ...includes.flatMap((dir) => ['-I', dir]), '-o', tmp, src]),
    );
  };

  const libcSources = listFiles(join(ROOT, 'userland/libc'), '.asm', false);
  const programSources = programSourcesIn(resolve(ROOT, options.programsDir ?? 'userland/bin'));
  mkdirSync(join(outDir, 'libc'), { recursive: true });
  for (const name of programSources.keys()) mkdirSync(join(outDir, 'obj', name), { recursive: true });
  mkdirSync(join(outDir, 'bin'), { recursive: true });
  const libcObject = (src: string) => join(outDir, 'libc', basename(src, '.asm') + '.o');
  const programObject = (name: string, src: string) => join(outDir, 'obj', name, basename(src, '.asm') + '.o');

  await inParallel([
    ...libcSources.map((src) => assemble(src, libcObject(src))),
    ...[...programSources].flatMap(([name, srcs]) => srcs.map((src) => assemble(src, programObject(name, src)))),
  ]);

  // crt0 first, so _start opens the text section; the rest of the libc in name order.
  const libcObjects = libcSources.map(libcObject);
  const crt0 = libcObjects.filter((o) => basename(o) === 'crt0.o');
  const link = [...crt0, ...libcObjects.filter((o) => basename(o) !== 'crt0.o')];
  const programs = new Map<string, string>();
  await inParallel(
    [...programSources].map(([name, srcs]) => async () => {
      const exe = join(outDir, 'bin', name);
      const inputs = [...link, ...srcs.map((src) => programObject(name, src))];
      programs.set(name, exe);
      if (upToDate(exe, inputs)) return;
      await produce(exe, (tmp) => (ld === null ? linkHere(inputs, tmp) : run(ld, ['-m', 'elf_i386', '-e', '_start', '-o', tmp, ...inputs])));
    }),
  );
  return { outDir, programs: new Map([...programs].sort(([a], [b]) => a.localeCompare(b))) };
}

/** The command from the environment (split on spaces), or null for the repository's own tool. */
function command(fromEnv: string | undefined): string[] | null {
  return fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv.trim().split(/\s+/) : null;
}

/** What `tools/nasm -f elf32 -DABI_FILE=... -I ... -o output source` does, in this process. */
async function assembleHere(source: string, output: string, includePaths: string[], abiFile: string): Promise<void> {
  const result = assemblePath(source, { format: 'elf32', includePaths, defines: [['ABI_FILE', abiFile]] });
  if (!result.ok || !result.output) throw new BuildError(result.diagnostics.map(formatDiagnostic).join('\n'));
  writeFileSync(output, result.output);
}

/** What `tools/ld -m elf_i386 -e _start -o output inputs...` does, in this process. */
async function linkHere(inputs: string[], output: string): Promise<void> {
  const result = link(inputs.map((name) => ({ name, bytes: new Uint8Array(readFileSync(name)) })), {
    emulation: 'elf_i386', entry: '_start', outputName: output,
  });
  if (!result.bytes) throw new BuildError(result.errors.join('\n'));
  writeFileSync(output, result.bytes, { mode: 0o755 });
}

// Program name -> its sources: bin/NAME.asm, or every .asm in bin/NAME/.
function programSourcesIn(dir: string): Map<string, string[]> {
  const programs = new Map<string, string[]>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.asm')) programs.set(entry.name.slice(0, -4), [join(dir, entry.name)]);
    else if (entry.isDirectory()) programs.set(entry.name, listFiles(join(dir, entry.name), '.asm', false));
  }
  return programs;
}

function listFiles(dir: string, suffix: string, recursive: boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && recursive) out.push(...listFiles(path, suffix, true));
    else if (entry.isFile() && entry.name.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

// Writes to a private name and renames, so two builds at once (parallel test files) never
// see each other's half-written files.
async function produce(output: string, make: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${output}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await make(tmp);
    renameSync(tmp, output);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function upToDate(output: string, inputs: string[]): boolean {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return inputs.every((input) => statSync(input).mtimeMs <= built);
}

function run(cmd: string[], args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(cmd[0]!, [...cmd.slice(1), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let messages = '';
    child.stdout.on('data', (chunk: Buffer) => (messages += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (messages += chunk.toString()));
    child.on('error', (error) => fail(new BuildError(`cannot run ${cmd.join(' ')}: ${error.message}`)));
    child.on('close', (status) => {
      if (status === 0) done();
      else fail(new BuildError(`${[...cmd, ...args].join(' ')}\n${messages.trimEnd()}`));
    });
  });
}

async function inParallel(jobs: (() => Promise<void>)[]): Promise<void> {
  const queue = [...jobs];
  const worker = async (): Promise<void> => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
}

async function main(argv: string[]): Promise<number> {
  const options: UserlandOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === '--abi' || arg === '--out') && value !== undefined) {
      if (arg === '--abi') options.abi = value;
      else options.outDir = value;
      i++;
    } else {
      process.stderr.write(`usage: userland.ts [--abi ${availableAbis().join('|')}] [--out DIR]\n`);
      return 2;
    }
  }
  try {
    const build = await buildUserland(options);
    process.stdout.write(`userland: ${build.programs.size} programs in ${build.outDir}/bin\n`);
    return 0;
  } catch (error) {
    // a tool's diagnostics, or the file system's complaint (a read-only build/): a message, never a trace
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`userland build failed: ${message}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
