// strace at the shell prompt: the kernel traces the program (kit_trace) and prints each call as
// strace does, with the mechanism it came through; strace -c prints the summary table.
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSCALLS } from '../../kernel/syscalls/table.ts';
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

/** The lines a command printed, without the echoed command line and the next prompt. */
function lines(output: string): string[] {
  return output.split('\n').slice(1, -1);
}

const EXECVE = /^execve\("\/bin\/(\w+)", \[.*\], 0x[0-9a-f]+ \/\* 2 vars \*\/\) = 0 <int80>$/;

describe('strace on the i386 kernel', () => {
  it('prints each call of hello, after its output, with the mechanism', () => {
    const m = booted();
    const out = lines(m.command('strace hello'));
    expect(out[0]).toMatch(EXECVE);
    expect(out.slice(2)).toEqual([
      'Hello, world!',
      'write(1, "Hello, world!\\n", 14) = 14 <int80>',
      'exit(0) = ? <int80>',
      '+++ exited with 0 +++',
    ]);
    expect(m.screen()).toContain('Hello, world!\nwrite(1, "Hello, world!\\n", 14) = 14 <int80>\n');
  });

  it('shows an error as -1 ENOENT (message), shortens strings to 32 bytes, and keeps the exit status', () => {
    const m = booted();
    const out = lines(m.command('strace cat /nope'));
    expect(out.slice(1)).toEqual([
      'open("/nope", O_RDONLY) = -1 ENOENT (No such file or directory) <int80>',
      'cat: /nope: No such file or directory',
      'write(2, "cat: /nope: No such file or dire"..., 38) = 38 <int80>',
      'exit(1) = ? <int80>',
      '+++ exited with 1 +++',
    ]);
    expect(m.command('echo $?')).toContain('\n1\n');
  });

  it('shows a number the table does not have as strace does: syscall_0x.. with six registers in hex, ENOSYS', () => {
    const m = booted();
    const out = lines(m.command('strace nosys'));
    const unknown = out.filter((line) => line.startsWith('syscall_'));
    // nosys makes each call with the arguments 0, -1, 0xc0000000, 0x7fffffff, 0x80000000, 1.
    const args = '(0, 0xffffffff, 0xc0000000, 0x7fffffff, 0x80000000, 0x1) = -1 ENOSYS (Function not implemented) <int80>';
    expect(unknown).toContain(`syscall_0xffffffff${args}`);
    expect(unknown).toContain(`syscall_0x10000${args}`);
    expect(unknown.every((line) => line.endsWith(args))).toBe(true);
    const summary = lines(m.command('strace -c nosys')).filter((line) => / syscall_0x/.test(line));
    expect(summary.length).toBe(unknown.length);
  });

  it('prints the strace -c table for ls /: calls and errors per call, equal times in call-number order', () => {
    const m = booted();
    const out = lines(m.command('strace -c ls /'));
    expect(out.slice(0, 3)).toEqual(['bin', 'dev', 'tmp']);
    const table = out.slice(3);
    expect(table[0]).toBe('% time     seconds  usecs/call     calls    errors syscall');
    expect(table[1]).toBe('------ ----------- ----------- --------- --------- ----------------');
    expect(table.at(-2)).toBe(table[1]);
    const rows = table.slice(2, -2).map((row) => {
      const match = /^ {2}0\.00 {4}0\.000000 {11}0 +(\d+) {11}(\w+)$/.exec(row);
      expect(match, row).not.toBeNull();
      return { calls: Number(match![1]), name: match![2]! };
    });
    const nr = (name: string) => SYSCALLS.find((s) => s.name === name)!.i386;
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['execve', 'open', 'getdents', 'write', 'close']));
    expect(rows.map((r) => nr(r.name))).toEqual(rows.map((r) => nr(r.name)).sort((a, b) => a - b));
    const total = rows.reduce((n, r) => n + r.calls, 0);
    expect(table.at(-1)).toBe(`100.00    0.000000             ${String(total).padStart(9)}           total`);
  });

  it('strace -c measures a call in virtual time and puts the slowest first', () => {
    const m = booted();
    const table = lines(m.command('strace -c sleep 1'));
    expect(table[2]).toMatch(/^100\.00 {4}1\.00\d{4} {5}100\d{4} {9}1 {11}nanosleep$/);
    expect(table[3]).toBe('  0.00    0.000000           0         1           execve');
  });

  it('with no program prints its usage and exits with status 2', () => {
    const m = booted();
    expect(lines(m.command('strace'))).toEqual(['usage: strace [-c] [-o FILE] PROG [ARGS...]']);
    expect(m.command('echo $?')).toContain('\n2\n');
    expect(lines(m.command('strace nosuch'))).toEqual(["strace: Can't stat 'nosuch': No such file or directory"]);
  });

  it('traces the children a program forks, each line with [pid N] while several are traced', () => {
    const m = booted();
    const out = lines(m.command('strace forkdemo'));
    const text = out.join('\n');
    const parent = Number(/^parent: pid (\d+)$/m.exec(text)![1]);
    const child = Number(/^parent: fork returned (\d+)$/m.exec(text)![1]);
    const pid = (n: number) => `[pid ${String(n).padStart(5)}]`;
    const at = out.indexOf(`${pid(parent)} fork() = ${child} <int80>`);
    expect(at).toBeGreaterThan(0);
    expect(out).toContain(`${pid(child)} getppid() = ${parent} <int80>`);
    expect(out).toContain(`${pid(child)} exit(1) = ? <int80>`);
    expect(out).toContain(`${pid(child)} +++ exited with 1 +++`);
    // the child is gone: the parent's lines have no prefix again
    expect(out).toContain(`waitpid(${child}, [{WIFEXITED(s) && WEXITSTATUS(s) == 1}], 0) = ${child} <int80>`);
    const killed = Number(/^parent: child (\d+) killed by signal 9/m.exec(text)![1]);
    expect(out).toContain(`${pid(killed)} +++ killed by SIGKILL +++`);
    expect(out.at(-1)).toBe('+++ exited with 0 +++');
  });

  it('reports a program killed by a signal, and exits with 128 + the signal', () => {
    const m = booted();
    const out = lines(m.command('strace inport'));
    expect(out[0]).toMatch(EXECVE);
    // A #GP: Linux's force_sig gives SI_KERNEL, and strace shows si_addr for SIGSEGV.
    const signalled = out.indexOf('--- SIGSEGV {si_signo=SIGSEGV, si_code=SI_KERNEL, si_addr=NULL} ---');
    expect(signalled).toBeGreaterThan(0);
    expect(out.indexOf('+++ killed by SIGSEGV +++')).toBe(signalled + 1);
    expect(m.command('echo $?')).toContain('\n139\n');
  });

  it("shows each signal's siginfo as strace does: the fault's code and address, and SIGCHLD to the parent after its wait", () => {
    const m = booted();
    const out = lines(m.command('strace faults null code div0'));
    const kids = [...out.join('\n').matchAll(/fork\(\) = (\d+)/g)].map((f) => Number(f[1]));
    expect(kids).toHaveLength(3);
    const [nul, code, div] = kids as [number, number, number];
    const at = (pid: number, line: string): number => out.indexOf(`[pid ${String(pid).padStart(5)}] ${line}`);
    expect(at(nul, '--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---')).toBeGreaterThan(0);
    // A write to the program's own read-only code: the page is there, the access is refused.
    const signalOf = (pid: number): string | undefined => out.find((l) => l.startsWith(`[pid ${String(pid).padStart(5)}] ---`));
    expect(signalOf(code)).toMatch(/ --- SIGSEGV \{si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x80[0-9a-f]{5}\} ---$/);
    // #DE: the address of the div instruction.
    expect(signalOf(div)).toMatch(/ --- SIGFPE \{si_signo=SIGFPE, si_code=FPE_INTDIV, si_addr=0x80[0-9a-f]{5}\} ---$/);
    // The parent's SIGCHLD comes after the waitpid it wakes, as the signal is delivered on the way out.
    const waited = out.findIndex((l) => l.startsWith(`waitpid(${nul},`));
    const chld = out.indexOf(`--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=${nul}, si_uid=0, si_status=SIGSEGV, si_utime=0, si_stime=0} ---`);
    expect(waited).toBeGreaterThan(0);
    expect(chld).toBe(waited + 1);
  });

  it('starts each trace line on a line of its own when the program left its line unfinished', () => {
    const m = booted();
    const out = m.command('strace echo -n abc');
    expect(out).toContain('\nabc\nwrite(1, "abc", 3) = 3 <int80>\nexit(0) = ? <int80>\n');
    expect(m.screen()).toContain('abc\nwrite(1, "abc", 3) = 3 <int80>\n');
  });

  it('writes the trace to a file with -o, leaving the terminal to the program', () => {
    const m = booted();
    expect(m.command('strace -o /tmp/trace hello')).toBe('strace -o /tmp/trace hello\nHello, world!\n$ ');
    const out = lines(m.command('cat /tmp/trace'));
    expect(out[0]).toMatch(EXECVE);
    expect(out.slice(2)).toEqual(['write(1, "Hello, world!\\n", 14) = 14 <int80>', 'exit(0) = ? <int80>', '+++ exited with 0 +++']);
  });
});
