// `make bench`: runs every benchmark, prints the figures next to their peers' and the bars the
// issues set, and writes bench/results/latest.json. Speeds are by process CPU time where the
// work runs in this process, so a busy host distorts them less.
import { mkdirSync, writeFileSync } from 'node:fs';
import { benchAssembler } from './asm.ts';
import { benchFullBuild } from './build.ts';
import { benchCpuPhases, benchCpuPhases64 } from './cpu-phases.ts';
import { benchDeviceCost } from './device-cost.ts';
import { benchEncode } from './encode.ts';
import { benchKernel } from './kernel.ts';
import { benchStartup } from './startup.ts';
import { benchPrintf, benchUsertests } from './console.ts';
import { writeMechanismChart, mechanismTable, costModelLine } from './mechanism-report.ts';
import { benchMechanisms } from './mechanisms.ts';

const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
const say = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const row = (cells: string[], first = 40): string => `${cells[0].padEnd(first)}${cells.slice(1).map((c) => c.padStart(13)).join('')}`;

say('CPU: the phases of tools/bench/guest/cpubench.asm, median MIPS of 3 alternating rounds (bar: ours >= v86 interpreter)');
const cpu = await benchCpuPhases();
say(row(['phase', 'instructions', 'ours', 'v86 interp', 'ours/interp', 'v86 JIT']));
for (const p of cpu) {
  say(row([p.name, String(p.instructions), p.oursMips.toFixed(1), p.v86InterpreterMips.toFixed(1), (p.oursMips / p.v86InterpreterMips).toFixed(2), p.v86JitMips.toFixed(1)]));
}
results.cpuPhases = cpu;

say('\nCPU in 64-bit mode: the phases of tools/bench/guest/cpubench64.asm next to the 32-bit guest, median MIPS of 3 alternating rounds (bar: 64-bit >= half the 32-bit speed)');
const long = benchCpuPhases64();
say(row(['phase', 'instructions', '64-bit', '32-bit', '64/32']));
for (const p of long) say(row([p.name, String(p.instructions), p.mips64.toFixed(1), p.mips32.toFixed(1), (p.mips64 / p.mips32).toFixed(2)]));
results.cpuPhases64 = long;

say('\nDevices: the same loop idle and with the PIT at 1 kHz and COM1 busy, the best of 5 rounds each (bar: under 10% slower)');
const devices = benchDeviceCost();
say(`idle ${devices.idleMips.toFixed(1)} MIPS, busy ${devices.busyMips.toFixed(1)} MIPS (${devices.timerInterrupts} timer interrupts, ${devices.serialBytes} serial bytes): ${devices.slowdownPercent.toFixed(1)}% slower`);
results.deviceCost = devices;

say('\nKernel (i386, int 0x80): reset to the shell prompt, and one getpid round trip');
const kernel = await benchKernel();
say(`reset to prompt: ${kernel.bootInstructions} guest instructions, ${kernel.bootMs.toFixed(0)} ms CPU time (bar: under 1 s)`);
say(`getpid: ${kernel.getpidInstructions.toFixed(1)} guest instructions, ${(kernel.getpidNs / 1000).toFixed(2)} us host time per round trip`);
results.kernel = kernel;

say('\nKernel: reset to the usertests summary, usertests being init, with each mechanism\'s userland');
const usertests = await benchUsertests();
say(row(['mechanism', 'instructions', 'virtual ms', 'host ms'], 20));
for (const u of usertests) say(row([u.mechanism, String(u.instructions), (u.virtualNs / 1e6).toFixed(1), u.ms.toFixed(0)], 20));
results.usertestsFromReset = usertests;

say('\nConsole: printf through write() to the VGA text memory (tools/bench/guest/libc/printloop.asm)');
const printf = await benchPrintf();
say(`${printf.characters} characters: ${Math.round(printf.hostCharsPerSecond)} per second of host time, ${Math.round(printf.virtualCharsPerSecond)} per second of guest time, ${printf.instructionsPerCharacter.toFixed(1)} guest instructions each`);
results.printf = printf;

say('\nMechanisms (seed 001): one getpid round trip through each, and the vDSO\'s clock_gettime');
const mechanisms = await benchMechanisms();
for (const line of mechanismTable(mechanisms)) say(line);
say(costModelLine());
for (const file of writeMechanismChart(mechanisms)) say(`wrote ${file}`);
results.mechanisms = mechanisms;

say('\nStart-up: process start to the first guest instruction (median of 5 processes)');
const startup = benchStartup();
say(`${startup.toFixed(0)} ms`);
results.startupMs = startup;

say('\nAssembler: the userland and the fixtures, source lines per second of CPU time');
results.assembler = benchAssembler();

say('\nBuild: assemble and link everything the repository builds, from nothing (bar: under 1 s)');
const build = await benchFullBuild();
say(`${build.ms.toFixed(0)} ms CPU time (${build.programs} programs with the libc, and the kernel ROM)`);
results.fullBuild = build;

say('\nAssembler: instruction encoder over the differential corpus');
const encode = benchEncode();
say(`${encode.instructionsPerSecond} instructions/s`);
results.encoder = encode;

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.json', `${JSON.stringify(results, null, 2)}\n`);
say('\nwrote bench/results/latest.json');
