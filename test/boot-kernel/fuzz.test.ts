// Hazard: any sequence of calls with hostile arguments from several processes at once bringing
// the kernel down (a panic), throwing in the host (the emulator's internal error), hanging the
// machine, or losing physical pages. The guest fuzzer (userland/bin/fuzz.asm, trinity-like:
// boundary integers, kernel and unmapped addresses, valid buffers) runs through every
// mechanism's userland; the shell must come back, with every frame free again and no process
// left. A short seed here; `make fuzz` (FUZZ_LONG=1) runs a long one.
import { beforeAll, describe, expect, it } from 'vitest';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import type { SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, buildTestSystem, TestMachine } from './machine.ts';

const LONG = process.env.FUZZ_LONG !== undefined && process.env.FUZZ_LONG !== '';
const SEED = LONG ? 20_251_121 : 7;
const CALLS = LONG ? 200_000 : 3_000;
const WORKERS = 4;
/** Guest instructions the run may take: generous, so that only a hang reaches it. */
const BUDGET = CALLS * 20_000;

describe.each(I386_MECHANISMS)('the system-call fuzzer through %s', (abi) => {
  let build: SystemBuild;
  beforeAll(async () => {
    build = await buildTestSystem(abi);
  }, BUILD_TIMEOUT_MS);

  it(`seed ${SEED}: ${CALLS} calls from ${WORKERS} processes, no panic, no host exception, no page lost`, () => {
    const m = new TestMachine(build);
    m.runToPrompt();
    const k = m.system.kernel!;
    const free = k.frames.freeCount;
    const start = m.pc.cpu.instructions;
    // runToPrompt throws, with the reason, on an internal error of the emulator or a hang.
    const out = m.command(`fuzz ${SEED} ${CALLS} ${WORKERS}`, BUDGET);
    const instructions = m.pc.cpu.instructions - start;
    m.command('true'); // the shell reaps the workers' orphans at its prompt
    const summary = /^fuzz: (\d+) calls made; .*$/m.exec(out);
    const lost = free - k.frames.freeCount;
    const panics = m.system.panicMessage === null ? 0 : 1;
    process.stdout.write(`fuzz (${abi}): ${summary?.[0] ?? 'no summary'}; ${instructions} guest instructions; kernel panics ${panics}, host exceptions 0, pages lost ${lost}\n`);
    expect(m.system.panicMessage).toBeNull();
    expect(Buffer.from(m.pc.serial).toString('latin1')).not.toContain('Kernel panic');
    expect(summary?.[1]).toBe(String(CALLS));
    expect(lost).toBe(0);
    expect([...k.processes.keys()]).toEqual([1]);
  }, 0); // bounded by guest instructions, not by the wall clock
});
