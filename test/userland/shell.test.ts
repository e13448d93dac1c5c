import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nativeBuild, nativeSkipReason, run } from './native.ts';

const skip = nativeSkipReason();
if (skip) it.skip(`the shell not run natively: ${skip}`, () => {});

// The shell finds the userland's own programs through PATH, as it finds /bin on our kernel.
// It runs in a fresh directory unless given one, so a stray redirection lands nowhere that matters.
async function session(script: string, cwd?: string, env: Record<string, string> = {}) {
  const { outDir } = await nativeBuild();
  const where = cwd ?? mkdtempSync(join(tmpdir(), 'sh-'));
  return run('sh', [], script, { cwd: where, env: { PATH: join(outDir, 'bin'), ...env } });
}

describe.skipIf(skip)('sh runs scripted sessions from standard input', () => {
  it.each([
    ['echo hi | cat\n', 'hi\n'],
    ['false; echo $?\n', '1\n'],
    ['true; echo $?\nfalse\necho $?\n', '0\n1\n'],
    ['echo one two three | cat | wc -w\n', '3\n'],
    [`echo "a  b" 'c $? d' e\\ f "q\\"x" ''\n`, 'a  b c $? d e f q"x \n'],
    ['echo a # a comment\n# only a comment\n\n   \necho b\n', 'a\nb\n'],
    ['echo a; echo b;\n', 'a\nb\n'],
    ['echo $HOME $NOT_SET "[$NOT_SET]" $ x$\n', '/home/u [] $ x$\n'],
    ['sh -c "echo \\$\\$" | wc -w; echo $$ | wc -w\n', '1\n1\n'],
    ['echo bg & wait; echo after\n', 'bg\nafter\n'],
    ['echo x | false; echo $?\n', '1\n'],
    ['true && echo a || echo b\nfalse && echo a || echo b\nfalse || false && echo c; echo $?\nfalse&&echo no||echo yes\n', 'a\nb\n1\nyes\n'],
    ['cat\nthis line is read by cat\necho and so is this\n', 'this line is read by cat\necho and so is this\n'],
    ['printf "%s-%d\\n" x 5 | wc -c\n', '4\n'],
  ])('%j', async (script, stdout) => {
    const result = await session(script, undefined, { HOME: '/home/u' });
    expect(result).toMatchObject({ stdout, stderr: '', status: 0 });
  });

  it('gives the same output as the host shell running the same programs', async () => {
    const script = 'echo a b | wc\nfalse; echo $?\necho "x  y" | cat - | wc -c\nls / | wc -l | cat\nfalse || echo or && echo and\n';
    const ours = await session(script);
    const { outDir } = await nativeBuild();
    const theirs = spawnSync('/bin/sh', [], { input: script, encoding: 'utf8', env: { PATH: join(outDir, 'bin') } });
    expect(ours.stdout).toBe(theirs.stdout);
  });

  it('redirects input and output to files, and changes directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sh-'));
    mkdirSync(join(dir, 'sub'));
    const script = 'echo data > f; cat < f; echo more >> f\nwc -l < f\ncd sub; pwd; echo in sub > g\ncd /no/such\necho $?\n';
    const result = await session(script, dir);
    expect(result.stdout).toBe(`data\n2\n${join(dir, 'sub')}\n1\n`);
    expect(result.stderr).toBe('sh: cd: /no/such: No such file or directory\n');
    expect(readFileSync(join(dir, 'f'), 'utf8')).toBe('data\nmore\n');
    expect(readFileSync(join(dir, 'sub', 'g'), 'utf8')).toBe('in sub\n');
  });

  it('reports a command it cannot find with status 127', async () => {
    const result = await session('nosuch arg; echo $?\n./nosuch; echo $?\n');
    expect(result.stdout).toBe('127\n127\n');
    expect(result.stderr).toBe('sh: nosuch: command not found\nsh: ./nosuch: No such file or directory\n');
  });

  it('searches PATH in order, an empty entry meaning the current directory, and reports a file it cannot run with 126', async () => {
    const { outDir } = await nativeBuild();
    const dir = mkdtempSync(join(tmpdir(), 'sh-path-'));
    mkdirSync(join(dir, 'plain'));
    writeFileSync(join(dir, 'plain', 'hello'), 'not a program\n', { mode: 0o644 });
    copyFileSync(join(outDir, 'bin', 'echo'), join(dir, 'mine'));
    const bin = join(outDir, 'bin');
    const result = await session('mine from cwd; echo $?\nhello; echo $?\n', dir, { PATH: `${join(dir, 'plain')}::${bin}` });
    expect(result.stdout).toBe('from cwd\n0\nHello, world!\n0\n');
    const blocked = await session('hello\n', dir, { PATH: join(dir, 'plain') });
    expect(blocked).toMatchObject({ stderr: 'sh: hello: Permission denied\n', status: 126 });
  });

  it('reports syntax errors with status 2 and goes on with the next line', async () => {
    const result = await session('echo a |\necho $?\n; echo x\necho b > \necho "open\ntrue &&\n|| x\necho end\n');
    expect(result.stdout).toBe('2\nend\n');
    expect(result.stderr).toBe(
      "sh: syntax error near 'newline'\nsh: syntax error near ';'\nsh: syntax error near 'newline'\nsh: unterminated quote\n" +
        "sh: syntax error near 'newline'\nsh: syntax error near '||'\n",
    );
  });

  it('refuses lines beyond its limits with a message, and goes on', async () => {
    const script = [`echo ${'x'.repeat(2000)}`, `echo ${'w '.repeat(300)}`, Array(20).fill('cat').join(' | '), 'echo $?', `echo ${'w '.repeat(250)}| wc -w`];
    const result = await session(script.join('\n') + '\n');
    expect(result.stdout).toBe('2\n250\n');
    expect(result.stderr).toBe('sh: line too long\nsh: too many words\nsh: pipeline too long\n');
  });

  it('exits with the status given to exit, or the last status at end of input', async () => {
    expect(await session('exit 7\necho not reached\n')).toMatchObject({ stdout: '', status: 7 });
    expect(await session('echo x; false\n')).toMatchObject({ stdout: 'x\n', status: 1 });
    expect(await session('exit abc\n')).toMatchObject({
      stderr: 'sh: exit: abc: numeric argument required\n',
      status: 2,
    });
  });

  it('runs builtins inside pipelines and in the background', async () => {
    const result = await session('help | wc -l\npwd | cat\n', '/');
    const [lines, cwd] = result.stdout.split('\n');
    expect(Number(lines)).toBeGreaterThan(10);
    expect(cwd).toBe('/');
  });

  it('shows how a command killed by a signal ended, with status 128 + the signal', async () => {
    const { outDir } = await nativeBuild();
    const result = await session(`sh -c 'kill -SEGV $$'; echo $?\n`, undefined, { PATH: join(outDir, 'bin') });
    expect(result.stdout).toBe('139\n');
    expect(result.stderr).toBe('Segmentation fault\n');
  });

  it('takes a command with -c and rejects unknown options', async () => {
    expect(await run('sh', ['-c', 'echo a; false'])).toMatchObject({ stdout: 'a\n', status: 1 });
    expect(await run('sh', ['-z'])).toMatchObject({ status: 2 });
    expect((await run('sh', ['-z'])).stderr).toMatch(/usage: sh \[-i\] \[-c COMMAND\]\n$/);
  });

  it('prompts with "$ " when asked to be interactive', async () => {
    const { outDir } = await nativeBuild();
    const result = await run('sh', ['-i'], 'echo hi\n', { env: { PATH: join(outDir, 'bin') } });
    expect(result.stdout).toBe('$ hi\n$ \n');
  });
});

// On a terminal (a pty from script(1)) the shell does job control: /proc/self/stat of a job
// shows its own process group and that it holds the terminal (tpgid); a background job has
// its own group while the shell's group (which need not be the shell's pid: script(1) may
// start it through another shell) keeps the terminal.
describe.skipIf(skip)('sh job control on a terminal', () => {
  const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
  const hasProc = spawnSync('test', ['-r', '/proc/self/stat']).status === 0;
  it.skipIf(!hasScript || !hasProc)('runs each job in its own process group, in the foreground unless &', async () => {
    const { outDir } = await nativeBuild();
    const bin = join(outDir, 'bin');
    const input = 'echo shell $$\ncat /proc/$$/stat\ncat /proc/self/stat | cat\ncat /proc/self/stat &\nwait\necho after $?\nexit 4\n';
    const result = spawnSync('script', ['-qec', `env PATH=${bin} ${join(bin, 'sh')}`, '/dev/null'], { input, encoding: 'utf8' });
    const output = result.stdout.replaceAll('\r', '');
    const shell = /^\$ shell (\d+)$/m.exec(output)![1];
    const shellGroup = new RegExp(`(?:^|\\$ )${shell} \\(sh\\) \\w \\d+ (\\d+)`, 'm').exec(output)![1];
    // pid (comm) state ppid pgrp session tty_nr tpgid
    const jobs = [...output.matchAll(/(\d+) \(cat\) \w (\d+) (\d+) \d+ \d+ (-?\d+)/g)].map((m) => ({
      pid: m[1],
      ppid: m[2],
      pgrp: m[3],
      tpgid: m[4],
    }));
    expect(jobs).toEqual([
      { pid: jobs[0]!.pid, ppid: shell, pgrp: jobs[0]!.pid, tpgid: jobs[0]!.pid },
      { pid: jobs[1]!.pid, ppid: shell, pgrp: jobs[1]!.pid, tpgid: shellGroup },
    ]);
    expect(output).toMatch(/after 0$/m); // the prompt may come before or after the background output
    expect(result.status).toBe(4);
  });
});
