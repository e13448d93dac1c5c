// Assembler throughput: assembles a set of sources repeatedly and reports source lines per second
// of process CPU time (so a busy host distorts the figure less).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { OutputFormat } from '../asm/assemble.ts';
import { assembleSource } from '../asm/toolchain.ts';

export interface AsmBenchSource {
  path: string;
  format: OutputFormat;
  includePaths?: string[];
}

export interface AsmBenchResult {
  name: 'assembler';
  /** Source lines assembled per second of process CPU time (each file counted once per round). */
  linesPerSecond: number;
  lines: number;
  rounds: number;
  seconds: number;
}

/** The userland sources, as the userland build assembles them (ELF32, with userland/include). */
function userlandSources(): AsmBenchSource[] {
  if (!existsSync('userland')) return [];
  return readdirSync('userland', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.asm'))
    .sort()
    .map((f) => join('userland', f))
    .map((path) => ({ path, format: 'elf32' as const, includePaths: ['userland/include', dirname(path)] }));
}

/** The sources measured by default: the assembler's fixtures in the format each is written for, and the userland. */
export const DEFAULT_SOURCES: AsmBenchSource[] = [
  ...userlandSources(),
  { path: 'test/asm/fixtures/bootsector.asm', format: 'bin' },
  { path: 'test/asm/fixtures/branches.asm', format: 'bin' },
  { path: 'test/asm/fixtures/features.asm', format: 'elf32' },
  { path: 'test/asm/fixtures/pmode32.asm', format: 'elf32' },
  { path: 'test/asm/fixtures/syscall64.asm', format: 'elf64' },
];

/** Times assembling `sources` for at least `minSeconds` of CPU time after a one-second warm-up (so the JIT has compiled the hot paths), prints and returns lines/second. */
export function benchAssembler(sources: AsmBenchSource[] = DEFAULT_SOURCES, minSeconds = 5): AsmBenchResult {
  const loaded = sources.map((s) => ({ ...s, text: readFileSync(s.path, 'utf8') }));
  const lines = loaded.reduce((n, s) => n + s.text.split('\n').length, 0);
  const round = (): void => {
    for (const s of loaded) {
      const r = assembleSource(s.text, s.path, { format: s.format, includePaths: s.includePaths ?? [] });
      if (!r.ok) throw new Error(`benchmark source ${s.path} does not assemble: ${r.diagnostics[0]?.message ?? ''}`);
    }
  };
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) round();
  let rounds = 0;
  const start = process.cpuUsage();
  let seconds = 0;
  while (seconds < minSeconds) {
    round();
    rounds++;
    const used = process.cpuUsage(start);
    seconds = (used.user + used.system) / 1e6;
  }
  const result: AsmBenchResult = { name: 'assembler', linesPerSecond: Math.round((lines * rounds) / seconds), lines, rounds, seconds };
  process.stdout.write(`assembler: ${result.linesPerSecond} lines/s (${loaded.length} files, ${lines} lines x ${rounds} rounds in ${seconds.toFixed(2)} s of CPU)\n`);
  return result;
}
