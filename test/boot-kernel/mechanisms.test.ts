// The userland built for each system-call mechanism of the i386 kernel behaves as the int 0x80
// build does: the same kernel boots each flavour, the same commands run, and every command's
// output and the final screen are those of the int 0x80 flavour.
import { beforeAll, describe, expect, it } from 'vitest';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import type { SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, buildTestSystem, TestMachine } from './machine.ts';

const COMMANDS = [
  'hello',
  'echo one two three | wc -w',
  'echo some text > /tmp/f; cat /tmp/f /nope; echo status $?',
  'errno',
  'usertests',
];

/** What a user sees: each command's output, and the screen at the end. */
function session(build: SystemBuild): { outputs: string[]; screen: string } {
  const m = new TestMachine(build);
  m.runToPrompt();
  const outputs = COMMANDS.map((line) => m.command(line));
  return { outputs, screen: m.screen() };
}

let reference: { outputs: string[]; screen: string };
beforeAll(async () => {
  reference = session(await buildTestSystem('int80'));
}, BUILD_TIMEOUT_MS);

describe('every system-call mechanism of the i386 kernel', () => {
  it('has a userland flavour that runs (the int 0x80 one passes its own tests)', () => {
    expect(I386_MECHANISMS).toEqual(expect.arrayContaining(['int80', 'stack', 'callgate', 'argblock']));
    expect(reference.outputs[4]).toMatch(/usertests: \d+ passed, 0 failed\n/);
    expect(reference.outputs[2]).toContain('some text\ncat: /nope: No such file or directory\nstatus 1\n');
  });

  for (const abi of I386_MECHANISMS.filter((m) => m !== 'int80')) {
    it(`runs the ${abi} build exactly as the int 0x80 build`, async () => {
      const flavour = session(await buildTestSystem(abi));
      COMMANDS.forEach((line, i) => expect({ line, output: flavour.outputs[i] }).toEqual({ line, output: reference.outputs[i] }));
      expect(flavour.screen).toBe(reference.screen);
    }, BUILD_TIMEOUT_MS);
  }
});
