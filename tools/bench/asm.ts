// Assembler throughput: assembles a set of sources repeatedly and reports source lines per second.
import { readFileSync } from 'node:fs';
import { assemble, type OutputFormat } from '../asm/assemble.ts';
import { encodeInstruction } from '../asm/encode/index.ts';
import { writeElfObject } from '../elf/write-object.ts';

export interface AsmBenchSource {
  path: string;
  format: OutputFormat;
}

export interface AsmBenchResult {
  name: 'assembler';
  /** Source lines assembled per second of wall time (each file counted once per round). */
  linesPerSecond: number;
  lines: number;
  rounds: number;
  seconds: number;
}

/** The sources measured by default: the assembler's own fixtures, in the format each is written for. */
export const DEFAULT_SOURCES: AsmBenchSource[] = [
  { path: 'test/asm/fixtures/bootsector.asm', format: 'bin' },
  { path: 'test/asm/fixtures/branches.asm', format: 'bin' },
  { path: 'test/asm/fixtures/features.asm', format: 'elf32' },
  { path: 'test/asm/fixtures/pmode32.asm', format: 'elf32' },
  { path: 'test/asm/fixtures/syscall64.asm', format: 'elf64' },
];

/** Times assembling `sources` for at least `minSeconds` after a one-second warm-up (so the JIT has compiled the hot paths), prints and returns lines/second. */
export function benchAssembler(sources: AsmBenchSource[] = DEFAULT_SOURCES, minSeconds = 5): AsmBenchResult {
  const loaded = sources.map((s) => ({ ...s, text: readFileSync(s.path, 'utf8') }));
  const lines = loaded.reduce((n, s) => n + s.text.split('\n').length, 0);
  const round = (): void => {
    for (const s of loaded) {
      const r = assemble(s.text, s.path, { format: s.format, encoder: encodeInstruction, writeObject: writeElfObject });
      if (!r.ok) throw new Error(`benchmark source ${s.path} does not assemble: ${r.diagnostics[0]?.message ?? ''}`);
    }
  };
  const warmUntil = performance.now() + 1000;
  while (performance.now() < warmUntil) round();
  let rounds = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minSeconds * 1000) {
    round();
    rounds++;
    elapsed = performance.now() - start;
  }
  const seconds = elapsed / 1000;
  const result: AsmBenchResult = { name: 'assembler', linesPerSecond: Math.round((lines * rounds) / seconds), lines, rounds, seconds };
  process.stdout.write(`assembler: ${result.linesPerSecond} lines/s (${lines} lines x ${rounds} rounds in ${seconds.toFixed(2)} s)\n`);
  return result;
}
