// int 0x80's trap gate leaves IF set, so a hardware interrupt may arrive at any instruction of
// the system-call stub. Here one arrives at each instruction of the way in and out in turn (the
// j-th call gets it j instructions after its entry, modulo the path's length), and every call
// must still return its result to an intact process.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, buildTestSystem, TestMachine } from './machine.ts';

/** More than the instructions from vector_syscall to the iret back to ring 3. */
const PATH_LENGTH = 48;
/** COM1's line: its handler finds no work when the UART asked for nothing, as for a spurious edge. */
const IRQ = 4;

let build: SystemBuild;
beforeAll(async () => {
  build = await buildTestSystem();
}, BUILD_TIMEOUT_MS);

describe('an interrupt inside the system-call stub', () => {
  it('at every instruction of the way in and out, leaves the calls their results', () => {
    const m = new TestMachine(build);
    m.runToPrompt();
    const entry = build.kernel.symbols['vector_syscall'];
    expect(entry).toBeDefined();
    const line = m.pc.devices.pic.line(IRQ);
    // regsave checks that every register but eax survives a call, and its result in eax.
    const line0 = 'regsave && regsave && regsave && echo preserved\n';
    m.pc.typeText(line0);
    let calls = 0;
    let countdown = -1;
    const prompts = m.promptInstructions.length;
    for (let step = 0; m.promptInstructions.length === prompts; step++) {
      if (step > 1_000_000) throw new Error(`no prompt after ${step} steps; screen:\n${m.screen()}`);
      if (m.pc.cpu.eip >>> 0 === entry) countdown = calls++ % PATH_LENGTH;
      if (countdown === 0) line.raise();
      m.pc.run({ instructions: 1 });
      if (countdown === 0) line.lower();
      if (countdown >= 0) countdown--;
    }
    expect(calls).toBeGreaterThanOrEqual(PATH_LENGTH);
    expect(m.output.endsWith(`${line0}preserved\n$ `)).toBe(true);
  });
});
