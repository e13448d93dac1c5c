// A system call's trap gate and the call gate leave IF set, so a hardware interrupt may arrive at
// any instruction of the system-call stub. Here one arrives at each instruction of the way in and
// out in turn (the j-th call gets it j instructions after its entry, modulo PATH_LENGTH), and
// every call must still return its result to an intact process. That includes the instruction
// after the bridge call, where an IRQ once replaced the kernel's choice of stack with its own
// spent frame and the exit path returned to it for ever.
import { beforeAll, describe, expect, it } from 'vitest';
import { entryPathOf } from '../../kernel/arch/i386/entry-paths.ts';
import type { Mechanism } from '../../kernel/syscalls/mechanisms.ts';
import type { SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, buildTestSystem, TestMachine } from './machine.ts';

/** More than the instructions from a stub's entry to the iret back to ring 3 (checked below). */
const PATH_LENGTH = 96;
/** COM1's line: its handler finds no work when the UART asked for nothing, as for a spurious edge. */
const IRQ = 4;
/** The two stub shapes: SYSCALL_TRAP (int 0x80, 0x81, 0x82) and the call gate's own. */
const FLAVOURS: readonly Mechanism[] = ['int80', 'callgate'];

const builds = new Map<Mechanism, SystemBuild>();
beforeAll(async () => {
  for (const abi of FLAVOURS) builds.set(abi, await buildTestSystem(abi));
}, BUILD_TIMEOUT_MS);

describe('an interrupt inside the system-call stub', () => {
  for (const abi of FLAVOURS) {
    it(`${abi}: at every instruction of the way in and out, leaves the calls their results`, () => {
      const build = builds.get(abi)!;
      const m = new TestMachine(build);
      m.runToPrompt();
      const entry = build.kernel.symbols[entryPathOf(abi)!.stub];
      expect(entry).toBeDefined();
      const line = m.pc.devices.pic.line(IRQ);
      // The shell's own calls go through the flavour's stub; regsave checks with int 0x80 that
      // every register but eax survives a call, and its result in eax.
      const line0 = 'regsave && regsave && regsave && echo preserved\n';
      m.pc.typeText(line0);
      let calls = 0;
      let countdown = -1;
      /** Instructions since the current call's entry, and whether its IRQ came during them. */
      let inCall = -1;
      let raised = false;
      let longestQuiet = 0;
      const prompts = m.promptInstructions.length;
      for (let step = 0; m.promptInstructions.length === prompts; step++) {
        if (step > 2_000_000) throw new Error(`no prompt after ${step} steps; screen:\n${m.screen()}`);
        if (m.pc.cpu.eip >>> 0 === entry) {
          countdown = calls++ % PATH_LENGTH;
          inCall = 0;
          raised = false;
        }
        if (countdown === 0) {
          line.raise();
          raised = inCall >= 0;
        }
        m.pc.run({ instructions: 1 });
        if (countdown === 0) line.lower();
        if (countdown >= 0) countdown--;
        if (inCall >= 0) inCall++;
        if (inCall > 0 && m.pc.cpu.cpl === 3) {
          if (!raised) longestQuiet = Math.max(longestQuiet, inCall);
          inCall = -1;
        }
      }
      expect(calls).toBeGreaterThanOrEqual(PATH_LENGTH);
      expect(longestQuiet).toBeGreaterThan(0);
      expect(longestQuiet).toBeLessThan(PATH_LENGTH);
      expect(m.output.endsWith(`${line0}preserved\n$ `)).toBe(true);
    });
  }
});
