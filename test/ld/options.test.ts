import { describe, expect, it } from 'vitest';
import { parseCommandLine, UsageError } from '../../tools/linker/options.ts';

describe('ld command-line parsing', () => {
  it('reads every spelling ld accepts', () => {
    const a = parseCommandLine(['-melf_x86_64', '-okernel', '--entry=start', '-Ttext=100000', '-Tdata', '0x200000', '--Tbss=300000', '-z', 'noseparate-code', 'a.o', 'b.o']);
    expect(a.inputs).toEqual(['a.o', 'b.o']);
    expect(a.output).toBe('kernel');
    expect(a.options).toEqual({
      emulation: 'elf_x86_64', entry: 'start', textAddress: 0x100000n, dataAddress: 0x200000n, bssAddress: 0x300000n,
      mode: 'noseparate-code', outputName: 'kernel',
    });
    const b = parseCommandLine(['-m', 'elf_i386', '-o', 'out', '-e', '0x1000', '-N', '--build-id=none', '-static', 'x.o']);
    expect(b.options).toEqual({ emulation: 'elf_i386', entry: '0x1000', mode: 'omagic', outputName: 'out' });
    expect(parseCommandLine(['--nmagic', '-zseparate-code', 'x.o']).options.mode).toBe('separate-code');
    expect(parseCommandLine(['-n', 'x.o']).options.mode).toBe('nmagic');
  });

  it.each([
    [['-m', 'elf_arm'], 'unrecognised emulation mode: elf_arm\nSupported emulations: elf_i386 elf_x86_64'],
    [['-o'], "option requires an argument -- 'o'"],
    [['-Ttext', 'banana'], "invalid hex number `banana' for -Ttext"],
    [['-z', 'relro'], '-z relro is not supported by this linker'],
  ])('rejects %j', (args, message) => {
    expect(() => parseCommandLine(args)).toThrow(new UsageError(message));
  });
});
