import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { availableAbis } from '../../tools/build/userland.ts';
import { nativeBuild, nativeSkipReason } from './native.ts';

const skip = nativeSkipReason();
if (skip) it.skip(`mechanism builds not run natively: ${skip}`, () => {});

// The mechanisms Linux offers every 32-bit program, and sysenter (below); the others are this
// kernel's own entries (int 0x81, the call gate at 0x33, int 0x82 and the block at 0x8000), run
// on it instead (test/boot-kernel/mechanisms.test.ts).
const ON_LINUX = ['int80', 'vdso'];
for (const abi of availableAbis().filter((a) => !ON_LINUX.includes(a) && a !== 'sysenter')) {
  it.skip(`${abi} build not run natively: Linux has no such system-call entry (test/boot-kernel runs it)`, () => {});
}

// Linux gives 32-bit programs the int 0x80 gate and a vDSO with __kernel_vsyscall, so both
// mechanism files can be checked natively: the programs must behave the same whichever way
// their wrappers enter the kernel.
describe.skipIf(skip)('the vDSO mechanism', () => {
  const runs: [string, string[], string][] = [
    ['usertests', [], ''],
    ['errno', [], ''],
    ['forkdemo', [], ''],
    ['faults', ['null', 'div0'], ''],
    ['cat', ['-', 'missing'], 'some text\n'],
    ['sh', [], 'echo hi | wc -c; false; echo $?\nnosuch\n'],
  ];

  it('runs every program the way the int 0x80 build does', async () => {
    const vdso = await nativeBuild('vdso');
    const int80 = await nativeBuild('int80');
    const outcome = (dir: string, program: string, args: string[], input: string) => {
      const result = spawnSync(join(dir, 'bin', program), args, { input, encoding: 'utf8', env: { PATH: join(dir, 'bin') } });
      // process IDs differ from run to run
      const stdout = result.stdout.replace(/\d{3,}/g, 'N');
      return { program, stdout, stderr: result.stderr, status: result.status };
    };
    for (const [program, args, input] of runs) {
      expect(outcome(vdso.outDir, program, args, input)).toEqual(outcome(int80.outDir, program, args, input));
    }
  });

  it('makes wrappers that call __kernel_vsyscall through the pointer crt0 keeps', async () => {
    const { outDir } = await nativeBuild('vdso');
    const dump = spawnSync('objdump', ['-d', '-M', 'intel', '--no-show-raw-insn', join(outDir, 'bin', 'hello')], { encoding: 'utf8' }).stdout;
    const nm = spawnSync('nm', [join(outDir, 'bin', 'hello')], { encoding: 'utf8' }).stdout;
    const pointer = /^0*([0-9a-f]+) D __vsyscall$/m.exec(nm)![1]!;
    const write = dump.split('\n\n').find((block) => block.includes('<write>:'))!;
    expect(write).toMatch(new RegExp(`mov +eax,0x4\\n.*call +DWORD PTR ds:0x${pointer}\\n`));
    expect(write).not.toContain('int ');
  });
});

// The sysenter flavour enters with a sysenter of its own and relies on the kernel returning to
// the vDSO's landing pad, whose `ret` comes back to the wrapper. A 32-bit Linux does that too,
// but a 64-bit one runs these programs in compatibility mode, where AMD CPUs have no sysenter
// (#UD): whether it runs depends on the host's CPU, so it runs on this project's kernel only
// (test/boot-kernel/mechanisms.test.ts). Natively, only its build is checked.
it.skip('the sysenter mechanism is not run natively: sysenter is #UD in compatibility mode on AMD CPUs', () => {});
describe.skipIf(skip)('the sysenter mechanism', () => {
  it('builds with the host tools, every wrapper entering through the libc\'s __sysenter', async () => {
    const { outDir } = await nativeBuild('sysenter');
    const dump = spawnSync('objdump', ['-d', '-M', 'intel', '--no-show-raw-insn', join(outDir, 'bin', 'hello')], { encoding: 'utf8' }).stdout;
    const block = (name: string): string => dump.split('\n\n').find((b) => b.includes(`<${name}>:`))!;
    expect(block('write')).toMatch(/mov +eax,0x4\n.*call +[0-9a-f]+ <__sysenter>\n/);
    expect(block('write')).not.toContain('int ');
    expect(block('__sysenter').split('\n').slice(1, 6).map((line) => line.split('\t').slice(1).join(' ').replace(/\s+/g, ' ').trim()))
      .toEqual(['push ecx', 'push edx', 'push ebp', 'mov ebp,esp', 'sysenter']);
  });
});
