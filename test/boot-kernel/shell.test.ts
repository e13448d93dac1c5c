// Programs at the shell prompt, end to end through int 0x80: output, a system call's error
// path, faults that kill only their process, preemption of a program that never calls the kernel.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, buildTestSystem, TestMachine } from './machine.ts';

let build: SystemBuild;
beforeAll(async () => {
  build = await buildTestSystem();
}, BUILD_TIMEOUT_MS);

function booted(): TestMachine {
  const m = new TestMachine(build);
  m.runToPrompt();
  return m;
}

describe('the shell on the i386 kernel', () => {
  it('runs hello', () => {
    const m = booted();
    expect(m.command('hello')).toBe('hello\nHello, world!\n$ ');
    expect(m.screen()).toContain('$ hello\nHello, world!\n$');
  });

  it("passes the userland's own tests (fork, exec, pipes, brk, errno, signal handlers...)", () => {
    const m = booted();
    const started = performance.now();
    const before = m.pc.cpu.instructions;
    const out = m.command('usertests');
    console.log(`usertests: ${m.pc.cpu.instructions - before} guest instructions, ${(performance.now() - started).toFixed(0)} ms wall time`);
    expect(out.split('\n').filter((line) => line.startsWith('FAIL '))).toEqual([]);
    expect(out).toContain('PASS signals\n'); // handlers entered through the i386 rt_sigframe
    expect(out).toMatch(/usertests: \d+ passed, 0 failed\n/);
  });

  it("runs each program's own code when its frames held other programs' code before", () => {
    // exec copies the new program into frames that freed processes' code used: the CPU must not
    // keep running instructions it decoded from the old bytes.
    const m = booted();
    for (const line of ['true', 'true', 'hello', 'true']) m.command(line);
    expect(m.command('echo hi')).toBe('echo hi\nhi\n$ ');
    expect(m.command('hello')).toBe('hello\nHello, world!\n$ ');
  });

  it('preserves every register but eax across int 0x80, on success and on error', () => {
    const m = booted();
    expect(m.command('regsave; echo status $?')).toContain('status 0\n');
  });

  it('runs a pipeline and a timed sleep', () => {
    const m = booted();
    expect(m.command('echo one two three | wc -w')).toMatch(/\n\s*3\n/);
    const before = m.pc.virtualNs();
    expect(m.command('sleep 1; echo slept')).toContain('slept\n');
    expect(m.pc.virtualNs() - before).toBeGreaterThanOrEqual(1e9);
  });

  it('reports a failing system call with its errno message', () => {
    const m = booted();
    expect(m.command('cat /nope')).toContain('cat: /nope: No such file or directory\n');
    expect(m.command('echo $?')).toContain('\n1\n');
  });

  it('kills only the faulting process, with a one-line report', () => {
    const m = booted();
    const out = m.command('faults null');
    expect(out).toMatch(/faults\[\d+\]: segfault at 0 ip [0-9a-f]{8} sp [0-9a-f]{8} error 4\n/);
    expect(out).toContain('null   killed by SIGSEGV');
    expect(m.command('hello')).toContain('Hello, world!');
  });

  it('turns a user #GP, #DE and #UD into signals of that process only', () => {
    const m = booted();
    const out = m.command('faults cli div0 ud2');
    expect(out).toMatch(/traps: faults\[\d+\] general protection fault ip:[0-9a-f]+ sp:[0-9a-f]+ error:0\n/);
    expect(out).toContain('cli    killed by SIGSEGV');
    expect(out).toContain('div0   killed by SIGFPE');
    expect(out).toContain('ud2    killed by SIGILL');
  });

  it('reports a fault only when it kills: a handler the program installed takes it without a line, and finds siginfo and sigcontext filled in', () => {
    const m = booted();
    // The handler's frame: a read of page 0 (#PF error 4, MAPERR at 0); int3 (vector 3, SI_KERNEL).
    expect(m.command('catch; echo status $?')).toBe('catch; echo status $?\ncatch: signal 11 si_code 1 si_addr 0 trapno 14 err 4 cr2 0\nstatus 11\n$ ');
    expect(m.command('catch int3; echo status $?')).toBe('catch int3; echo status $?\ncatch: signal 5 si_code 128 si_addr 0 trapno 3 err 0 cr2 0\nstatus 5\n$ ');
  });

  it('gives int3 from ring 3 to the program as SIGTRAP, with the line Linux prints', () => {
    const m = booted();
    const out = m.command('faults int3; echo status $?');
    expect(out).toMatch(/traps: faults\[\d+\] trap int3 ip:[0-9a-f]+ sp:[0-9a-f]+ error:0\n/);
    expect(out).toContain('int3   killed by SIGTRAP (Trace/breakpoint trap)\n');
  });

  it('denies ring 3 the I/O ports through the TSS bitmap', () => {
    const m = booted();
    const out = m.command('inport; echo status $?');
    expect(out).toMatch(/traps: inport\[\d+\] general protection fault ip:8049000 sp:[0-9a-f]+ error:0\n/);
    expect(out).toContain('status 139\n');
  });

  it('refuses a forged signal frame with a selector the exit path cannot load', () => {
    const m = booted();
    expect(m.command('sigbad; echo status $?')).toContain('status 139\n');
    expect(m.system.panicMessage).toBeNull();
  });

  it('preempts a program that never enters the kernel', () => {
    const m = booted();
    m.command('spin &');
    // Only the timer can take the CPU from spin; the shell and hello still get to run.
    expect(m.command('hello')).toContain('Hello, world!');
    // With spin runnable the CPU never halts: 50 ms of virtual time are 50 ms of instructions.
    const before = m.pc.cpu.instructions;
    m.pc.run({ untilNs: m.pc.virtualNs() + 50e6 });
    expect(m.pc.cpu.instructions - before).toBe(50e6 / m.pc.nsPerInstruction);
    expect(m.command('echo still here')).toContain('still here\n');
  });
});

describe('kernel stops', () => {
  it('shows a panic screen for an exception in ring 0 and stops the CPU', () => {
    const m = booted();
    // Corrupt the kernel: ud2 at the idle loop, which runs as soon as the shell waits for a key.
    const idle = build.kernel.symbols.idle_loop! - 0xc0000000;
    m.pc.memory.write8(idle, 0x0f);
    m.pc.memory.write8(idle + 1, 0x0b);
    m.pc.typeText('hello\n');
    const result = m.pc.run({ instructions: 10_000_000 });
    expect(result.reason).toBe('halted');
    expect(m.system.panicMessage).toMatch(/^#UD invalid opcode in kernel mode \(vector 6, error 0\)\nEIP: [0-9a-f]{8}  CS: 8 /);
    expect(m.screen()).toContain(' Kernel panic  #UD invalid opcode in kernel mode');
    expect(m.system.panicMessage).toMatch(/\nESI: [0-9a-f]{8}  EDI: [0-9a-f]{8}  EBP: [0-9a-f]{8}  ESP: c[0-9a-f]{7}\n/);
    expect(m.system.panicMessage).toContain(`\nCode: ${(idle + 0xc0000000).toString(16)}  0f 0b  ud2`);
    expect(m.pc.registers().eflags & 0x200).toBe(0);
  });

  it('reports an error thrown by the TypeScript kernel as a panic, its stack on COM1 only', () => {
    const m = booted();
    m.system.kernel!.keyboardInput = () => {
      throw new Error('keyboard state lost');
    };
    m.pc.typeText('h');
    const result = m.pc.run({ instructions: 50_000_000 });
    expect(result.reason).toBe('halted');
    expect(m.system.panicMessage).toBe('kernel bug: keyboard state lost');
    expect(m.screen()).toContain(' Kernel panic  kernel bug: keyboard state lost');
    expect(m.screen()).not.toMatch(/^\s+at /m);
    const serial = Buffer.from(m.pc.serial).toString('latin1');
    expect(serial).toMatch(/Kernel panic: kernel bug: keyboard state lost\nError: keyboard state lost\n\s+at .*\n/);
    expect(serial).toMatch(/at I386System\.(bridge|serve)/);
  });

  it('panics when init exits, as Linux does', () => {
    const m = booted();
    m.pc.typeText('exit 3\n');
    expect(m.pc.run({ instructions: 10_000_000 }).reason).toBe('halted');
    expect(m.system.panicMessage).toBe('init exited with status 0x300: attempted to kill init');
  });
});

describe('a machine the kernel cannot run on', () => {
  it('stops at boot with a panic when the CPU lacks 4 MiB pages', () => {
    const m = new TestMachine(build);
    // Leaf 1 of this CPU reports PSE; a kernel that needs it must say so when it is missing.
    const cpuid = m.pc.cpu.nativeHandler!;
    m.pc.cpu.nativeHandler = (cpu) => {
      if (cpu.regs[0] === 1) cpu.regs[3]! &= ~(1 << 3);
      cpuid(cpu);
    };
    expect(m.pc.run({ instructions: 1_000_000 }).reason).toBe('halted');
    expect(m.system.panicMessage).toBe('this CPU lacks 4 MiB pages (CPUID PSE), which the kernel mapping needs');
    expect(m.screen()).toContain('Kernel panic  this CPU lacks 4 MiB pages');
  });
});

describe('console input', () => {
  it('Ctrl-C on the keyboard stops a foreground program that never enters the kernel', () => {
    const m = booted();
    m.pc.typeText('spin\n');
    m.pc.run({ untilNs: m.pc.virtualNs() + 30e6 });
    expect(m.promptInstructions).toHaveLength(1);
    m.pc.pressKey('Ctrl+C');
    m.runToPrompt();
    expect(m.command('hello')).toContain('Hello, world!');
  });

  it('takes a command typed on COM1', () => {
    const m = booted();
    const before = m.output.length;
    m.pc.serialInput([...'hello\r'].map((c) => c.charCodeAt(0)));
    m.runToPrompt();
    expect(m.output.slice(before)).toBe('hello\nHello, world!\n$ ');
  });
});
