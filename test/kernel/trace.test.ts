import { describe, expect, it } from 'vitest';
import { E } from '../../kernel/errno.ts';
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from '../../kernel/fs/file.ts';
import { describeWaitStatus, SIG } from '../../kernel/proc/signals.ts';
import { Strace } from '../../kernel/trace/strace.ts';
import { summaryTable } from '../../kernel/trace/summary.ts';
import { quoteBytes } from '../../kernel/trace/decode.ts';
import { DATA, Harness, numberOf } from './helpers/harness.ts';

function traced() {
  const h = new Harness();
  const lines: string[] = [];
  const strace = new Strace(h.kernel, (l) => lines.push(l));
  h.kernel.tracer.global = strace;
  return { h, lines, strace };
}

describe('strace lines', () => {
  it('formats write and a failing open like strace', () => {
    const { h, lines } = traced();
    h.poke(DATA, 'hello\n');
    h.sys('write', 1, DATA, 6);
    h.sys('open', h.str(DATA + 0x100, '/nope'), O_RDONLY, 0);
    h.sys('open', h.str(DATA + 0x100, '/tmp/f'), O_WRONLY | O_CREAT | O_TRUNC, 0o644);
    expect(lines).toEqual([
      'write(1, "hello\\n", 6) = 6',
      'open("/nope", O_RDONLY) = -1 ENOENT (No such file or directory)',
      'open("/tmp/f", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3',
    ]);
  });

  it('shortens long strings to 32 bytes, shows output buffers after the call, and bad pointers in hex', () => {
    const { h, lines } = traced();
    h.poke(DATA, 'a'.repeat(40));
    h.sys('write', 1, DATA, 40);
    h.sys('write', 1, 0x30000000, 3);
    h.sys('pipe', DATA + 0x200);
    h.poke(DATA, 'xy');
    h.sys('write', 4, DATA, 2);
    h.sys('read', 3, DATA + 0x300, 100);
    h.sys('brk', 0);
    h.sys('kill', 77, 15);
    h.sys('nanosleep', 0, 0);
    expect(lines).toEqual([
      `write(1, "${'a'.repeat(32)}"..., 40) = 40`,
      'write(1, 0x30000000, 3) = -1 EFAULT (Bad address)',
      'pipe([3, 4]) = 0',
      'write(4, "xy", 2) = 2',
      'read(3, "xy", 100) = 2',
      'brk(NULL) = 0',
      'kill(77, SIGTERM) = -1 ESRCH (No such process)',
      'nanosleep(NULL, NULL) = -1 EFAULT (Bad address)',
    ]);
  });

  it('prints exit as "= ?" and the end of a process', () => {
    const { h, lines } = traced();
    const child = h.sys('fork');
    h.sys('sched_yield');
    h.call('exit_group', 3);
    h.sys('wait4', child, DATA, 0, 0);
    expect(lines).toEqual([
      `fork() = ${child}`,
      'sched_yield() = 0',
      'exit_group(3) = ?',
      '+++ exited with 3 +++',
      `wait4(${child}, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = ${child}`,
    ]);
  });

  it('shows a SIGKILL only as the end of the process, with no --- line, as strace does', () => {
    const { h, lines } = traced();
    const child = h.sys('fork');
    h.sys('kill', child, SIG.SIGKILL);
    h.sys('wait4', child, DATA, 0, 0);
    expect(lines).toEqual([
      `fork() = ${child}`,
      // The child ends inside the kill call, so its end comes first.
      '+++ killed by SIGKILL +++',
      `kill(${child}, SIGKILL) = 0`,
      `wait4(${child}, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], 0, NULL) = ${child}`,
    ]);
  });

  it('shows a number the table does not have as syscall_0x.. with six registers in hex, answering ENOSYS', () => {
    const { h, lines, strace } = traced();
    expect(h.sys(0x3e7, 1, 0, -1, 0x10, 0, 2)).toBe(-E.ENOSYS);
    expect(lines).toEqual(['syscall_0x3e7(0x1, 0, 0xffffffff, 0x10, 0, 0x2) = -1 ENOSYS (Function not implemented)']);
    expect(strace.summary()).toMatch(/ 1 +1 syscall_0x3e7\n/);
  });

  it('renders wait statuses like strace', () => {
    expect(describeWaitStatus(0x0300)).toBe('{WIFEXITED(s) && WEXITSTATUS(s) == 3}');
    expect(describeWaitStatus(9)).toBe('{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}');
    expect(describeWaitStatus(0x147f)).toBe('{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTSTP}');
    expect(describeWaitStatus(0xffff)).toBe('{WIFCONTINUED(s)}');
  });

  it('quotes control characters the way strace does', () => {
    expect(quoteBytes(Uint8Array.of(0x1b, 0x5b, 0x6d, 0x00, 0x31, 0x09, 0x22, 0x5c), 32)).toBe('"\\33[m\\0001\\t\\"\\\\"');
  });
});

describe('strace -c summary', () => {
  it('counts calls and errors in strace\'s layout, equal times in system-call number order', () => {
    const { h, strace } = traced();
    h.sys('getpid');
    h.sys('getpid');
    h.sys('close', 99);
    expect(strace.summary()).toBe([
      '% time     seconds  usecs/call     calls    errors syscall',
      '------ ----------- ----------- --------- --------- ----------------',
      '  0.00    0.000000           0         1         1 close',
      '  0.00    0.000000           0         2           getpid',
      '------ ----------- ----------- --------- --------- ----------------',
      '100.00    0.000000                     3         1 total',
      '',
    ].join('\n'));
  });

  it('sorts by virtual time spent in the call, most first', () => {
    const { h, strace } = traced();
    const sleep = (ns: number) => {
      h.poke(DATA, new Uint8Array(new Int32Array([0, ns]).buffer));
      const call = h.call('nanosleep', DATA, 0);
      h.clock.advance(ns);
      h.kernel.timerTick();
      expect(call.value).toBe(0);
    };
    h.sys('getpid');
    sleep(3000);
    sleep(1000);
    expect(strace.summary().split('\n').slice(2, 4)).toEqual([
      '100.00    0.000004           2         2           nanosleep',
      '  0.00    0.000000           0         1           getpid',
    ]);
  });

  it('splits time by share and truncates microseconds per call as strace does', () => {
    const table = summaryTable([
      { name: 'write', nr: 4, calls: 1, errors: 0, ns: 1_000_000 },
      { name: 'read', nr: 3, calls: 4, errors: 0, ns: 3_000_000 - 4 },
    ]);
    expect(table.split('\n').slice(2, 4)).toEqual([
      ' 75.00    0.003000         749         4           read',
      ' 25.00    0.001000        1000         1           write',
    ]);
  });
});

/** Console output of a harness, as one string. */
function consoleLog(h: Harness): () => string {
  const out: string[] = [];
  h.kernel.console.attach((b) => out.push(String.fromCharCode(...b)));
  return () => out.join('');
}

describe('kit_trace (strace from user space)', () => {
  it('traces the caller and the children it forks, with the mechanism of each call and [pid] while several are traced', () => {
    const h = new Harness();
    const log = consoleLog(h);
    const parent = h.current.pid;
    expect(h.sys('kit_trace', 2, 0)).toBe(0);
    h.poke(DATA, 'hi\n');
    h.sys('write', 1, DATA, 3);
    const child = h.sys('fork');
    h.sys('sched_yield');
    h.sys('getpid');
    h.call('exit_group', 0);
    h.sys('wait4', -1, 0, 0, 0);
    const pid = (n: number) => `[pid ${String(n).padStart(5)}]`;
    expect(log()).toBe([
      'hi\n',
      'write(1, "hi\\n", 3) = 3 <int80>\n',
      `${pid(parent)} fork() = ${child} <int80>\n`,
      `${pid(parent)} sched_yield() = 0 <int80>\n`,
      `${pid(child)} getpid() = ${child} <int80>\n`,
      `${pid(child)} exit_group(0) = ? <int80>\n`,
      `${pid(child)} +++ exited with 0 +++\n`,
      `wait4(-1, NULL, 0, NULL) = ${child} <int80>\n`,
    ].join(''));
  });

  it('names the mechanism each call came through', () => {
    const h = new Harness();
    const log = consoleLog(h);
    h.sys('kit_trace', 2, 0);
    let result = 0;
    h.kernel.syscall(numberOf('getpid'), () => 0, (r) => (result = r), 'sysenter');
    h.sys('getppid');
    expect(log()).toBe(`getpid() = ${result} <sysenter>\ngetppid() = 0 <int80>\n`);
  });

  it('starts a trace line on a line of its own when the program left its line unfinished', () => {
    const h = new Harness();
    const log = consoleLog(h);
    h.sys('kit_trace', 2, 0);
    h.poke(DATA, 'abc');
    h.sys('write', 1, DATA, 3);
    h.sys('getppid');
    h.poke(DATA, 'def\n');
    h.sys('write', 1, DATA, 4);
    expect(log()).toBe([
      'abc\n',
      'write(1, "abc", 3) = 3 <int80>\n',
      'getppid() = 0 <int80>\n',
      'def\n',
      'write(1, "def\\n", 4) = 4 <int80>\n',
    ].join(''));
  });

  it('writes whole lines to a file, until the caller stops tracing itself', () => {
    const h = new Harness();
    const fd = h.sys('open', h.str(DATA + 0x100, '/tmp/trace'), O_WRONLY | O_CREAT | O_TRUNC, 0o644);
    h.sys('kit_trace', fd, 0);
    h.sys('close', fd);
    h.poke(DATA, 'abc');
    h.sys('write', 1, DATA, 3);
    h.sys('kit_trace', -1, 0);
    const file = h.kernel.fs.lookup(h.kernel.fs.root, '/tmp/trace');
    if (typeof file === 'number') throw new Error('no trace file');
    expect(new TextDecoder().decode(file.data!.subarray(0, file.size))).toBe(
      `close(${fd}) = 0 <int80>\nwrite(1, "abc", 3) = 3 <int80>\n`,
    );
  });

  it('in summary mode writes the strace -c table when the last traced process exits', () => {
    const h = new Harness();
    const child = h.sys('fork');
    h.sys('sched_yield');
    expect(h.current.pid).toBe(child);
    const log = consoleLog(h);
    expect(h.sys('kit_trace', 1, 1)).toBe(0);
    h.sys('close', 42);
    h.sys('getpid');
    h.call('exit_group', 0);
    expect(log()).toBe([
      '% time     seconds  usecs/call     calls    errors syscall',
      '------ ----------- ----------- --------- --------- ----------------',
      '  0.00    0.000000           0         1         1 close',
      '  0.00    0.000000           0         1           getpid',
      '------ ----------- ----------- --------- --------- ----------------',
      '100.00    0.000000                     2         1 total',
      '',
    ].join('\n'));
  });

  it('in summary mode gives each mechanism its own table', () => {
    const h = new Harness();
    const log = consoleLog(h);
    h.sys('kit_trace', 1, 1);
    h.sys('getpid');
    h.kernel.syscall(numberOf('getppid'), () => 0, () => {}, 'sysenter');
    h.call('exit_group', 0);
    const text = log();
    expect(text).toMatch(/^System call usage summary for int80:\n% time {5}seconds/);
    expect(text).toContain('\nSystem call usage summary for sysenter:\n% time');
    expect(text.match(/ getppid\n/g)).toHaveLength(1);
  });

  it('rejects a bad descriptor and unknown flags', () => {
    const h = new Harness();
    expect(h.sys('kit_trace', 9, 0)).toBe(-E.EBADF);
    expect(h.sys('kit_trace', 1, 2)).toBe(-E.EINVAL);
    expect(h.sys('kit_trace', -1, 0)).toBe(0);
  });
});
