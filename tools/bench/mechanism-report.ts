// How the mechanism benchmark shows its rows: the printed table, the cost model in one line,
// and the bar chart (bench/results/mechanisms.png, and docs/mechanisms.png for the README,
// which holds only figures that do not depend on the host: the same build draws the same chart).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { barChartPng } from './bar-chart.ts';
import { CALL_GATE_CYCLES_PER_PARAMETER, COST_CLASSES } from './cycle-model.ts';
import type { MechanismRow } from './mechanisms.ts';

/** Where the chart goes. */
export const CHART_FILES = ['bench/results/mechanisms.png', 'docs/mechanisms.png'] as const;

/** The table, a header and one line per row. */
export function mechanismTable(rows: readonly MechanismRow[]): string[] {
  const line = (cells: string[]): string => `${cells[0]!.padEnd(24)}${cells.slice(1).map((c) => c.padStart(14)).join('')}`;
  return [
    line(['call, mechanism', 'instructions', 'model cycles', 'host ns']),
    ...rows.map((r) => line([r.label, String(r.instructions), String(r.cycles), r.hostNs === null ? '-' : r.hostNs.toFixed(0)])),
  ];
}

/** The model's figures in one line. */
export function costModelLine(): string {
  const c = COST_CLASSES;
  return `model cycles (tools/bench/cycle-model.ts): int ${c.int.cycles}, iret ${c.iret.cycles}, call gate ${c.callGate.cycles} + ${CALL_GATE_CYCLES_PER_PARAMETER} a parameter, retf ${c.retf.cycles}, sysenter ${c.sysenter.cycles}, sysexit ${c.sysexit.cycles}, segment load ${c.segmentLoad.cycles}/${c.segmentLoadMemory.cycles}, kernel work ${c.kernel.cycles}, other ${c.simple.cycles}`;
}

/** Draws the chart into CHART_FILES; returns their names. */
export function writeMechanismChart(rows: readonly MechanismRow[]): string[] {
  const png = barChartPng(
    'getpid round trip through each mechanism, and the vDSO time call',
    'cycles of the executed instructions under tools/bench/cycle-model.ts',
    rows.map((r) => ({ label: r.label, value: r.cycles, note: `${r.cycles} cycles, ${r.instructions} instructions` })),
  );
  for (const file of CHART_FILES) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, png);
  }
  return [...CHART_FILES];
}
