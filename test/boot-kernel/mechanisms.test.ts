// The same programs through every 32-bit mechanism the kernel serves (I386_MECHANISMS): each
// userland flavour must give the screens int 0x80 gives, on every CPU it runs on. Only clock's
// numbers may differ, since each way into the kernel spends a different number of instructions
// and time is virtual; they must still repeat from run to run.
import { beforeAll, describe, expect, it } from 'vitest';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import { buildSystem, type SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, bootedMachine, TestMachine } from './machine.ts';

const COMMANDS = [
  'hello',
  'echo one two three | wc -w',
  'echo some text > /tmp/f; cat /tmp/f /nope; echo status $?',
  'errno',
  'clock',
  'usertests',
];
const builds = new Map<string, SystemBuild>();

beforeAll(async () => {
  for (const abi of I386_MECHANISMS) builds.set(abi, await buildSystem(abi));
}, BUILD_TIMEOUT_MS);

/** The screen after boot, what each command printed and the screen at the end, booting the `abi` userland on the given CPU. */
function transcript(abi: string, vendor: 'intel' | 'amd' = 'intel', sep = true, commands = COMMANDS): string[] {
  const m = bootedMachine(builds.get(abi)!, vendor, sep);
  return [m.screen(), ...commands.map((line) => m.command(line)), m.screen()];
}

/** clock's readings, which depend on virtual time. */
function withoutTimes(lines: string[]): string[] {
  return lines.map((text) => text.replace(/\d+\.\d{9}/g, 'S.NNNNNNNNN'));
}

describe('every i386 mechanism runs the programs as int 0x80 does', () => {
  let int80: string[];
  beforeAll(() => {
    int80 = transcript('int80');
  });

  it('serves the flavours the design lists for the 32-bit kernel, and int 0x80 passes its own tests', () => {
    expect(I386_MECHANISMS).toEqual(['int80', 'stack', 'callgate', 'argblock', 'sysenter', 'vdso']);
    expect(int80[COMMANDS.indexOf('usertests') + 1]).toMatch(/usertests: \d+ passed, 0 failed\n/);
    expect(int80[3]).toContain('some text\ncat: /nope: No such file or directory\nstatus 1\n');
  });

  for (const abi of I386_MECHANISMS.filter((m) => m !== 'int80')) {
    it(`${abi}: the same screens, and clock's readings repeat`, () => {
      const run = transcript(abi);
      expect(withoutTimes(run)).toEqual(withoutTimes(int80));
      expect(transcript(abi, 'intel', true, ['clock'])).toEqual(transcript(abi, 'intel', true, ['clock']));
    });
  }

  it('vdso on a CPU without SEP: __kernel_vsyscall is int 0x80, the screens those of int 0x80 on that CPU', () => {
    const run = transcript('vdso', 'intel', false);
    expect(withoutTimes(run)).toEqual(withoutTimes(transcript('int80', 'intel', false)));
    expect(run[0]).toContain('\ncpu: GenuineIntel family 6 model 3 stepping 3, no SEP: no sysenter\n');
    expect(run[0]).not.toContain('\nsyscall: sysenter ');
    expect(run[0]).toContain('\nvdso: __kernel_vsyscall by int 0x80; time calls read the vvar page, no trap\n');
  });

  it('vdso on the AMD CPU: the same screens but for the CPU line', () => {
    const run = transcript('vdso', 'amd');
    const cpu = (text: string): string => text.replace(/\ncpu: .*\n/, '\n');
    expect(withoutTimes(run).map(cpu)).toEqual(withoutTimes(int80).map(cpu));
  });

  it('sysenter on a CPU without SEP: the first call of init is an invalid opcode, as on such a CPU', () => {
    const m = new TestMachine(builds.get('sysenter')!, 'intel', false);
    expect(m.pc.run({ instructions: 50_000_000 }).reason).toBe('halted');
    expect(m.system.panicMessage).toMatch(/^init exited with status 0x4: attempted to kill init$/);
  });
});
