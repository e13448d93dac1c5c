// The command line of tools/run: DESIGN.md's flags, clear errors, not-implemented mechanisms.
import { describe, expect, it } from 'vitest';
import { NotImplementedError, parseRunOptions, UsageError } from '../../tools/os/options.ts';

describe('tools/run options', () => {
  it('takes every flag of DESIGN.md', () => {
    const o = parseRunOptions(['--arch', 'i386', '--abi', 'int80', '--cpu', 'amd', '--headless', '--type', 'hello\\n', '--until', '$ ', '--serial', 'out.log', '--screendump', 's.txt', '--max-insns', '1000']);
    expect(o).toMatchObject({ arch: 'i386', abi: 'int80', cpu: 'amd', headless: true, type: 'hello\n', until: '$ ', serial: 'out.log', screendump: 's.txt', maxInstructions: 1000 });
  });

  it('accepts --flag=value', () => {
    expect(parseRunOptions(['--headless', '--type=ls\\n']).type).toBe('ls\n');
  });

  it('takes every mechanism the i386 kernel serves', () => {
    for (const abi of ['int80', 'stack', 'callgate', 'argblock']) expect(parseRunOptions(['--abi', abi]).abi).toBe(abi);
  });

  it('says what is not implemented yet', () => {
    expect(() => parseRunOptions(['--arch', 'x86_64'])).toThrow(NotImplementedError);
    expect(() => parseRunOptions(['--abi', 'syscall'])).toThrow(/not implemented yet/);
  });

  it('rejects bad input with the reason', () => {
    expect(() => parseRunOptions(['--abi', 'smoke-signals'])).toThrow(UsageError);
    expect(() => parseRunOptions(['--cpu', 'via'])).toThrow(/--cpu must be intel\|amd\[,-sep\]/);
    expect(parseRunOptions(['--cpu', 'amd,-sep'])).toMatchObject({ cpu: 'amd', sep: false });
    expect(() => parseRunOptions(['--max-insns', '12k'])).toThrow(/positive whole number/);
    expect(() => parseRunOptions(['--type'])).toThrow(/needs a value/);
    expect(() => parseRunOptions(['--until', 'x'])).toThrow(/needs --headless/);
    expect(() => parseRunOptions(['-kernel', 'x'])).toThrow(/unknown option/);
  });
});
