// Hazard: an interrupt arriving on the way out of the kernel. int 0x80's trap gate leaves IF set,
// so a timer interrupt could land between the bridge's return and the exit path's read of
// cpu_area.return_esp; its own bridge call points return_esp at its nested frame, and the outer
// exit path then restored from that frame after it had been consumed: the CPU went round
// ret_from_bridge forever in ring 0 (found by the fuzzer). The exit path now runs with
// interrupts off until its iret.
import { beforeAll, describe, expect, it } from 'vitest';
import { Bridge } from '../../kernel/arch/i386/layout.ts';
import { Reg } from '../../kernel/arch/i386/platform.ts';
import type { SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, buildTestSystem, TestMachine } from './machine.ts';

let build: SystemBuild;
beforeAll(async () => {
  build = await buildTestSystem();
}, BUILD_TIMEOUT_MS);

describe('an interrupt right after a system call returns from the bridge', () => {
  it('is served and the call still returns to its process', () => {
    const m = new TestMachine(build);
    m.runToPrompt();
    const bridge = m.pc.cpu.nativeHandler!;
    let injected = 0;
    m.pc.cpu.nativeHandler = (cpu) => {
      const service = cpu.regs[Reg.EAX];
      bridge(cpu);
      if (service !== Bridge.SYSCALL || injected >= 20) return;
      // A timer edge now: the CPU takes it at the next instruction boundary, in the exit path.
      const timer = m.pc.devices.pic.line(0);
      timer.lower();
      timer.raise();
      cpu.pollInterrupts();
      injected++;
    };
    expect(m.command('hello')).toBe('hello\nHello, world!\n$ ');
    expect(injected).toBe(20);
    expect(m.command('echo still here')).toBe('echo still here\nstill here\n$ ');
  });
});
