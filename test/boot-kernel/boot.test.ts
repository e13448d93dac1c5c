// From the reset vector to the shell prompt: the boot log on the screen, against a snapshot;
// the same boot twice gives the same screen at the same instruction count.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SystemBuild } from '../../tools/build/system.ts';
import { formatSnapshot } from '../../tools/screen/snapshot.ts';
import { BUILD_TIMEOUT_MS, buildTestSystem, TestMachine } from './machine.ts';

let build: SystemBuild;
beforeAll(async () => {
  build = await buildTestSystem();
}, BUILD_TIMEOUT_MS);

describe('booting the i386 kernel', () => {
  it('shows the boot log and the prompt as in the snapshot', async () => {
    const m = new TestMachine(build);
    const started = performance.now();
    m.runToPrompt();
    const ms = performance.now() - started;
    console.log(`reset to first prompt: ${m.promptInstructions[0]} guest instructions, ${ms.toFixed(0)} ms wall time`);
    // `npx vitest -u` rewrites the file after a deliberate change; CI never writes it.
    await expect(formatSnapshot(m.pc.screen)).toMatchFileSnapshot('snapshots/boot-prompt.txt');
  });

  it('mirrors the console on COM1', () => {
    const m = new TestMachine(build);
    m.runToPrompt();
    m.pc.run({ instructions: 2_000_000 }); // the UART sends at line rate: let it drain
    const serial = String.fromCharCode(...m.pc.serial);
    expect(serial).toContain('idt: 0x20-0x2F IRQ 0-15 interrupt gates DPL 0, 0x80 0x81 0x82 trap gates DPL 3\n');
    expect(serial).toContain('syscall: callgate call 0x33:0 nr in eax, the gate copies 6 args, -errno in eax\n');
    expect(serial.endsWith('init: /bin/sh\n$ ')).toBe(true);
  });

  it('is deterministic: two boots give the same screen at the same instruction count', () => {
    const a = new TestMachine(build);
    const b = new TestMachine(build);
    a.runToPrompt();
    b.runToPrompt();
    expect(a.promptInstructions[0]).toBe(b.promptInstructions[0]);
    expect(formatSnapshot(a.pc.screen)).toBe(formatSnapshot(b.pc.screen));
    expect(a.command('hello')).toBe(b.command('hello'));
    expect(a.promptInstructions[1]).toBe(b.promptInstructions[1]);
  });

  it('boots the same on the AMD CPU model, which has sysenter too in a 32-bit kernel', () => {
    const intel = new TestMachine(build);
    const amd = new TestMachine(build, 'amd');
    intel.runToPrompt();
    amd.runToPrompt();
    const withoutCpu = (screen: string): string[] => screen.split('\n').filter((line) => !line.startsWith('cpu: '));
    expect(withoutCpu(amd.screen())).toEqual(withoutCpu(intel.screen()));
    expect(intel.screen()).toContain('\ncpu: GenuineIntel family 6 model 3 stepping 3, SEP: sysenter/sysexit\n');
    expect(amd.screen()).toContain('\ncpu: AuthenticAMD family 6 model 2 stepping 2, SEP: sysenter/sysexit\n');
    expect(amd.command('hello')).toBe('hello\nHello, world!\n$ ');
  });

  it('idles in hlt while waiting for a key', () => {
    const m = new TestMachine(build);
    m.runToPrompt();
    const before = m.pc.cpu.instructions;
    const second = m.pc.virtualNs() + 1e9;
    m.pc.run({ untilNs: second });
    // One second is 100 timer interrupts; a busy-waiting kernel would run 1e8 instructions.
    const used = m.pc.cpu.instructions - before;
    expect(used).toBeGreaterThan(100 * 20);
    expect(used).toBeLessThan(100 * 200);
  });
});
