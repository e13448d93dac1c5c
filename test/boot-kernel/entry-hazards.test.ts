// Ring 3 abusing the system-call entries: the call gate with a bad stack, jumped through, or
// entered single-stepping or with NT, DF, AC set; int 0x81 and 0x82 with a bad stack, a bad
// number, odd flags; a program without an argument block using it; a signal handler using the
// block under the interrupted code. The process gets a fault, an errno or its result, the kernel
// never panics, and the shell goes on.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, bootedMachine, buildTestSystem, type TestMachine } from './machine.ts';

let build: SystemBuild;
beforeAll(async () => {
  build = await buildTestSystem();
}, BUILD_TIMEOUT_MS);

/** Runs `line; echo status $?` at the prompt: what it printed, and the exit status. */
function run(m: TestMachine, line: string): { output: string; status: number } {
  const out = m.command(`${line}; echo status $?`);
  expect(m.system.panicMessage).toBeNull();
  const status = /status (\d+)\n\$ $/.exec(out);
  if (!status) throw new Error(`no status in:\n${out}`);
  return { output: out.slice(out.indexOf('\n') + 1, status.index), status: Number(status[1]) };
}

const booted = (): TestMachine => bootedMachine(build);

describe('the call gate entered from ring 3 in a bad state', () => {
  it('faults in ring 3 when the parameters cannot be copied from the user stack', () => {
    const m = booted();
    const unmapped = run(m, 'entryhaz s');
    expect(unmapped.status).toBe(128 + 11);
    expect(unmapped.output).toMatch(/^entryhaz\[\d+\]: segfault at 1000 ip [0-9a-f]{8} sp 00001000 error 4\nSegmentation fault\n$/);
    const pastTheTop = run(m, 'entryhaz e');
    expect(pastTheTop.status).toBe(128 + 11);
    expect(pastTheTop.output).toMatch(/segfault at c0000000 ip [0-9a-f]{8} sp bffffff8 error 5\n/);
    expect(m.command('hello')).toBe('hello\nHello, world!\n$ ');
  });

  it('refuses a jump through the gate with #GP in ring 3', () => {
    const m = booted();
    const jumped = run(m, 'entryhaz j');
    expect(jumped.status).toBe(128 + 11);
    expect(jumped.output).toMatch(/general protection fault/);
  });

  it('lets a program single-step into the gate: the kernel runs without TF, the program traps after the call', () => {
    const m = booted();
    const stepped = run(m, 'entryhaz t');
    expect(stepped.status).toBe(128 + 5);
    // Linux reports no line for a trap of the debug exception.
    expect(stepped.output).toBe('Trace/breakpoint trap\n');
    expect(m.command('hello')).toBe('hello\nHello, world!\n$ ');
  });

  it('answers with NT, DF and AC set (an NT left on in the kernel would make its iret a task switch), and gives the three back', () => {
    const m = booted();
    expect(run(m, 'entryhaz f')).toEqual({ output: '', status: 0 });
  });
});

describe('int 0x81 and int 0x82 from ring 3 in a bad state', () => {
  it('stack ABI: EFAULT for arguments on an unmapped stack, ENOSYS for a bad number, NT, DF and AC kept', () => {
    const m = booted();
    expect(run(m, 'entryhaz S').status).toBe(14);
    expect(run(m, 'entryhaz N').status).toBe(38);
    expect(run(m, 'entryhaz F')).toEqual({ output: '', status: 0 });
  });

  it('argument block: ENOSYS in the result field for an unknown function', () => {
    expect(run(booted(), 'entryhaz B').status).toBe(38);
  });

  it('kills a program that has no argument block with a one-line message; the shell goes on', () => {
    const m = booted();
    const killed = run(m, 'noblock');
    expect(killed.status).toBe(128 + 11);
    expect(killed.output).toMatch(/^noblock\[\d+\]: system call through int 0x82, but the program has no argument block \(at 0x8000\): killed\nSegmentation fault\n$/);
    expect(m.command('hello')).toBe('hello\nHello, world!\n$ ');
  });

  it("keeps the interrupted code's argument block across a handler that uses the block too", () => {
    expect(run(booted(), 'sigblock')).toEqual({ output: '', status: 0 });
  });
});
