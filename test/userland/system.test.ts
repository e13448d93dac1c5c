import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeSkipReason, run } from './native.ts';

const skip = nativeSkipReason();
if (skip) it.skip(`system programs not run natively: ${skip}`, () => {});

describe.skipIf(skip)('programs that show the system calls at work', () => {
  it('errno: every call fails with the errno Linux gives, through the wrapper convention', async () => {
    const result = await run('errno');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    for (const line of lines) expect(line).toMatch(/ = -1, errno +\d+: .* ok$/);
    expect(lines[0]).toMatch(/^open\("\/no\/such\/file", O_RDONLY\) += -1, errno  2: No such file or directory +ok$/);
    expect(lines[8]).toMatch(/^syscall\(9999\) += -1, errno 38: Function not implemented +ok$/);
    expect(result.stderr).toBe('perror after close(-1): Bad file descriptor\n');
    expect(result.status).toBe(0);
    expect(await run('errno', ['x'])).toMatchObject({ stderr: 'usage: errno\n', status: 2 });
  });

  it('forkdemo: children exit with 1, 2, 3, one is killed, then there are none', async () => {
    const result = await run('forkdemo');
    expect(result.status).toBe(0);
    const pid = '(\\d+)';
    const expected = [
      `parent: pid ${pid}`,
      ...[1, 2, 3].flatMap((i) => [
        `child ${i}: pid ${pid}, parent ${pid}, fork returned 0`,
        `parent: fork returned ${pid}`,
        `parent: child ${pid} exited with status ${i}`,
      ]),
      `parent: fork returned ${pid}`,
      `parent: child ${pid} killed by signal 9 \\(SIGKILL\\)`,
      'parent: waitpid\\(-1\\) = -1, errno 10: No child processes',
    ];
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(expected.length);
    lines.forEach((line, i) => expect(line).toMatch(new RegExp(`^${expected[i]}$`)));
    const parent = lines[0]!.split(' ')[2];
    const child1 = /child 1: pid (\d+), parent (\d+)/.exec(lines[1]!)!;
    expect(child1[2]).toBe(parent);
    expect(lines[2]).toBe(`parent: fork returned ${child1[1]}`);
    expect(lines[3]).toBe(`parent: child ${child1[1]} exited with status 1`);
  });

  it('faults: each fault kills its child with the signal Linux gives for that exception', async () => {
    expect(await run('faults')).toEqual({
      stdout: [
        'null   killed by SIGSEGV (Segmentation fault)',
        'code   killed by SIGSEGV (Segmentation fault)',
        'cli    killed by SIGSEGV (Segmentation fault)',
        'hlt    killed by SIGSEGV (Segmentation fault)',
        'int13  killed by SIGSEGV (Segmentation fault)',
        'div0   killed by SIGFPE (Floating point exception)',
        'ud2    killed by SIGILL (Illegal instruction)',
        'int3   killed by SIGTRAP (Trace/breakpoint trap)',
        '',
      ].join('\n'),
      stderr: '',
      status: 0,
      signal: null,
    });
    expect((await run('faults', ['div0'])).stdout).toBe('div0   killed by SIGFPE (Floating point exception)\n');
    expect(await run('faults', ['null', 'nope'])).toMatchObject({ stdout: '', status: 2 });
  });

  it('ls lists a directory sorted, hiding dot files without -a', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ls-'));
    for (const name of ['b', 'a', 'B', '.hidden', 'z z']) writeFileSync(join(dir, name), '');
    mkdirSync(join(dir, 'sub'));
    for (let i = 0; i < 300; i++) writeFileSync(join(dir, 'sub', `file-with-a-long-name-${i}`), '');
    expect(await run('ls', [], '', { cwd: dir })).toMatchObject({ stdout: 'B\na\nb\nsub\nz z\n', status: 0 });
    expect((await run('ls', ['-a', dir])).stdout).toBe('.\n..\n.hidden\nB\na\nb\nsub\nz z\n');
    const many = (await run('ls', [join(dir, 'sub')])).stdout.trimEnd().split('\n');
    expect(many).toEqual([...many].sort());
    expect(many).toHaveLength(300);
    expect(await run('ls', ['a', 'missing'], '', { cwd: dir })).toEqual({
      stdout: 'a\n',
      stderr: "ls: cannot access 'missing': No such file or directory\n",
      status: 2,
      signal: null,
    });
    expect(await run('ls', ['-Z'])).toMatchObject({ status: 2 });
  });

  it('kill sends a signal to another process and reports failures', async () => {
    const victim = spawn('sleep', ['30']);
    const ended = new Promise<NodeJS.Signals | null>((resolve) => victim.on('exit', (_code, signal) => resolve(signal)));
    expect(await run('kill', ['-USR1', String(victim.pid)])).toMatchObject({ stdout: '', stderr: '', status: 0 });
    expect(await ended).toBe('SIGUSR1');
    expect(await run('kill', ['2147483647'])).toMatchObject({
      stderr: 'kill: (2147483647) - No such process\n',
      status: 1,
    });
    expect(await run('kill', ['-NOPE', '1'])).toMatchObject({ status: 2 });
    expect(await run('kill', ['12x'])).toMatchObject({ stderr: 'kill: 12x: arguments must be process IDs\n', status: 1 });
    expect((await run('kill', ['-l'])).stdout.split('\n').slice(0, 2)).toEqual([' 1) SIGHUP', ' 2) SIGINT']);
  });

  it('sleep takes whole and fractional seconds, and rejects anything else', async () => {
    expect(await run('sleep', ['0.01'])).toMatchObject({ status: 0 });
    expect(await run('sleep', ['0'])).toMatchObject({ status: 0 });
    for (const args of [[], ['x'], ['1', '2'], ['-1']]) {
      expect(await run('sleep', args)).toMatchObject({ stderr: 'usage: sleep SECONDS\n', status: 2 });
    }
  });

  it('ps says when the kernel lacks its kit_ps call, as Linux does', async () => {
    expect(await run('ps')).toMatchObject({
      stdout: '',
      stderr: 'ps: this kernel has no kit_ps system call (Function not implemented)\n',
      status: 1,
    });
    expect(await run('ps', ['aux'])).toMatchObject({ stderr: 'usage: ps\n', status: 2 });
  });

  it('strace finds the program in PATH as strace does (an executable regular file), then says the kernel lacks kit_trace', async () => {
    expect(await run('strace', ['true'])).toMatchObject({
      stdout: '',
      stderr: 'strace: this kernel has no kit_trace system call (Function not implemented)\n',
      status: 1,
    });
    expect(await run('strace', ['nosuch'])).toMatchObject({ stderr: "strace: Can't stat 'nosuch': No such file or directory\n", status: 1 });
    expect(await run('strace', ['-o', '/no/such/dir/f', 'true'])).toMatchObject({ stderr: "strace: Can't fopen '/no/such/dir/f': No such file or directory\n", status: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'strace-path-'));
    mkdirSync(join(dir, 'plain'));
    writeFileSync(join(dir, 'plain', 'true'), 'not a program\n', { mode: 0o644 });
    const onlyPlain = { env: { PATH: join(dir, 'plain') } };
    expect(await run('strace', ['true'], '', onlyPlain)).toMatchObject({ stderr: "strace: Can't stat 'true': No such file or directory\n", status: 1 });
    const thenBin = { env: { PATH: `${join(dir, 'plain')}:/bin:/usr/bin` } };
    expect(await run('strace', ['true'], '', thenBin)).toMatchObject({ stderr: expect.stringContaining('no kit_trace system call'), status: 1 });
    for (const args of [[], ['-c'], ['-o']]) {
      expect(await run('strace', args)).toMatchObject({ stderr: expect.stringMatching(/usage: strace \[-c\] \[-o FILE\] PROG \[ARGS\.\.\.\]\n$/), status: 2 });
    }
  });

  it('mechbench times getpid through each way into the kernel (int 0x80 and the vDSO on Linux)', async () => {
    const result = await run('mechbench', ['100']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('100 calls each');
    const names = ['function call', 'int 0x80', '__kernel_vsyscall (vDSO)', 'libc getpid()'];
    expect(lines.slice(1).map((line) => line.slice(0, 24).trimEnd())).toEqual(names);
    for (const line of lines.slice(1)) expect(line).toMatch(/^.{24} +\d+ cycles per call$/);
    for (const args of [['0'], ['x'], ['1', '2']]) {
      expect(await run('mechbench', args)).toMatchObject({ stderr: 'usage: mechbench [ITERATIONS]\n', status: 2 });
    }
  });

  it('clock reads the clocks through the system call and through the vDSO, which agree', async () => {
    const result = await run('clock');
    expect(result.status).toBe(0);
    const rows = result.stdout.trimEnd().split('\n').map((line) => /^(\w+) +(\d+)\.(\d{9})  (.*)$/.exec(line)!);
    expect(rows.map((r) => [r[1], r[4]])).toEqual([
      ['realtime', 'clock_gettime, system call'],
      ['monotonic', 'clock_gettime, system call'],
      ['monotonic', '__vdso_clock_gettime, no system call'],
    ]);
    const ns = (r: RegExpExecArray) => BigInt(r[2]!) * 1_000_000_000n + BigInt(r[3]!);
    expect(ns(rows[2]!)).toBeGreaterThanOrEqual(ns(rows[1]!)); // read later, from the same clock
    expect(await run('clock', ['-x'])).toMatchObject({ stderr: 'usage: clock\n', status: 2 });
  });

  it('usertests passes every test natively', async () => {
    const result = await run('usertests');
    expect(result.stdout).toMatch(/^(PASS \w+\n){15}usertests: 15 passed, 0 failed\n$/);
    expect(result.status).toBe(0);
    expect(await run('usertests', ['malloc'])).toMatchObject({ stdout: 'PASS malloc\nusertests: 1 passed, 0 failed\n' });
    expect(await run('usertests', ['nope'])).toMatchObject({ status: 2 });
  });
});
