// `make bench`: runs every benchmark, prints the figures next to their peers', and writes
// bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchCpuPhases } from './cpu-phases.ts';

const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };

process.stdout.write('CPU phases (MIPS, process CPU time; same guest binary on each emulator)\n');
const cpu = await benchCpuPhases();
const row = (cells: string[]): string => `${cells[0].padEnd(40)}${cells.slice(1).map((c) => c.padStart(14)).join('')}\n`;
process.stdout.write(row(['phase', 'instructions', 'ours', 'v86 interp', 'ours/interp', 'v86 JIT']));
for (const p of cpu) {
  process.stdout.write(
    row([p.name, String(p.instructions), p.oursMips.toFixed(1), p.v86InterpreterMips.toFixed(1), (p.oursMips / p.v86InterpreterMips).toFixed(2), p.v86JitMips.toFixed(1)]),
  );
}
results.cpuPhases = cpu;

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write('wrote bench/results/latest.json\n');
