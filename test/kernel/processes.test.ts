import { describe, expect, it } from 'vitest';
import { E } from '../../kernel/errno.ts';
import { AT } from '../../kernel/proc/initial-stack.ts';
import { SIG } from '../../kernel/proc/signals.ts';
import { packInitramfs } from '../../tools/gen/initramfs.ts';
import { elf32, LOAD_BASE } from './helpers/elf.ts';
import { DATA, Harness } from './helpers/harness.ts';

const CODE = Uint8Array.of(0xb8, 0x01, 0, 0, 0, 0xcd, 0x80); // mov eax, 1; int 0x80
const image = () => packInitramfs([
  { path: '/bin/prog', data: elf32(CODE, 5000), perm: 0o755 },
  { path: '/bin/noexec', data: elf32(CODE), perm: 0o644 },
  { path: '/bin/text', data: new TextEncoder().encode('#!/bin/sh\n'), perm: 0o755 },
  { path: '/bin/x64', data: elf32(CODE, 0, { machine: 62 }), perm: 0o755 },
  { path: '/bin/reloc', data: elf32(CODE, 0, { type: 1 }), perm: 0o755 },
]);

const STATUS = DATA + 0x100;

/** Forks from the current process and returns the child's pid. */
function fork(h: Harness): number {
  const pid = h.sys('fork');
  expect(pid).toBeGreaterThan(0);
  return pid;
}

/** Runs the scheduler until `pid` is current. */
function switchTo(h: Harness, pid: number): void {
  for (let i = 0; i < 10 && h.current.pid !== pid; i++) h.sys('sched_yield');
  expect(h.current.pid).toBe(pid);
}

describe('fork, exit and wait', () => {
  it('gives the child a copy of memory and descriptors, 0 in eax, and the parent the child\'s pid', () => {
    const h = new Harness();
    h.poke(DATA, 'parent');
    h.arch.regsOf(h.init).eip = 0x1234;
    const pid = fork(h);
    expect(h.arch.regs.get(pid)).toMatchObject({ eax: 0, eip: 0x1234 });
    const child = h.kernel.processes.get(pid)!;
    expect(child.ppid).toBe(h.init.pid);
    expect(child.files.openCount).toBe(3);
    expect(new TextDecoder().decode(h.peek(DATA, 6, child))).toBe('parent');
    switchTo(h, pid);
    expect(h.sys('getpid')).toBe(pid);
    expect(h.sys('getppid')).toBe(1);
    h.poke(DATA, 'child!');
    h.call('write', 1, DATA, 0);
    expect(new TextDecoder().decode(h.peek(DATA, 6, h.init))).toBe('parent');
  });

  it('encodes exit statuses like Linux and reaps zombies', () => {
    const h = new Harness();
    const pid = fork(h);
    switchTo(h, pid);
    expect(h.call('exit', 0x1ff).value).toBe('blocked'); // never completes: the process is gone
    expect(h.kernel.processes.get(pid)!.state).toBe('zombie');
    expect(h.current.pid).toBe(1);
    expect(h.sys('waitpid', -1, STATUS, 0)).toBe(pid);
    expect(h.peek32(STATUS)).toBe(0xff00);
    expect(h.kernel.processes.has(pid)).toBe(false);
    expect(h.arch.released).toContain(pid);
    expect(h.sys('waitpid', -1, STATUS, 0)).toBe(-E.ECHILD);
  });

  it('blocks a waiting parent until the child exits, and WNOHANG answers 0', () => {
    const h = new Harness();
    const pid = fork(h);
    expect(h.sys('wait4', pid, STATUS, 1, 0)).toBe(0);
    const wait = h.call('wait4', pid, STATUS, 0, DATA + 0x200);
    expect(wait.value).toBe('blocked');
    expect(h.current.pid).toBe(pid);
    h.call('exit_group', 3);
    expect(wait.value).toBe(pid);
    expect(h.current.pid).toBe(1);
    expect(h.peek32(STATUS)).toBe(0x300);
    expect(h.sys('wait4', pid, STATUS, 0x40, 0)).toBe(-E.EINVAL);
    expect(h.sys('waitpid', 999, STATUS, 0)).toBe(-E.ECHILD);
  });

  it('leaves the zombie unreaped when the status pointer is bad', () => {
    const h = new Harness();
    const pid = fork(h);
    switchTo(h, pid);
    h.call('exit', 0);
    expect(h.sys('waitpid', pid, 0x30000000, 0)).toBe(-E.EFAULT);
    expect(h.kernel.processes.get(pid)?.state).toBe('zombie');
    expect(h.sys('waitpid', pid, 0, 0)).toBe(pid);
  });

  it('re-parents orphans to init, which collects them', () => {
    const h = new Harness();
    const a = fork(h);
    switchTo(h, a);
    const b = fork(h);
    h.call('exit', 0); // a exits before its child b
    const orphan = h.kernel.processes.get(b)!;
    expect(orphan.ppid).toBe(1);
    switchTo(h, b);
    expect(h.sys('getppid')).toBe(1);
    h.call('exit', 7);
    expect(h.sys('waitpid', b, STATUS, 0)).toBe(b);
    expect(h.peek32(STATUS)).toBe(0x700);
    expect(h.sys('waitpid', a, STATUS, 0)).toBe(a);
  });

  it('answers EAGAIN at the process limit', () => {
    const h = new Harness({ maxProcesses: 4 });
    fork(h);
    fork(h);
    fork(h);
    expect(h.sys('fork')).toBe(-E.EAGAIN);
  });

  it('returns every frame after a tree of processes exits and is reaped', () => {
    const h = new Harness({ initramfs: image() });
    const start = h.frames.freeCount;
    const kids: number[] = [];
    for (let i = 0; i < 3; i++) kids.push(fork(h));
    for (const pid of kids) {
      switchTo(h, pid);
      h.poke(DATA, 'dirty'); // private copies of shared pages
      h.call('write', 1, DATA, 0);
      const grandchild = h.sys('fork');
      expect(grandchild).toBeGreaterThan(0);
      expect(h.sys('execve', h.str(DATA, '/bin/prog'), 0, 0)).toBe(0);
      expect(h.sys('brk', 0x08100000)).toBe(0x08100000);
      h.call('exit', 0);
    }
    while (h.kernel.processes.size > 1) {
      if (h.current.pid !== 1) {
        h.call('exit', 0);
        continue;
      }
      const r = h.call('waitpid', -1, 0, 0);
      if (r.value === 'blocked') continue;
    }
    expect(h.frames.freeCount).toBe(start);
  });
});

describe('kill and signals', () => {
  it.each([['SIGKILL', SIG.SIGKILL], ['SIGTERM', SIG.SIGTERM], ['SIGINT', SIG.SIGINT]])('%s terminates with the signal in the wait status', (_name, sig) => {
    const h = new Harness();
    const pid = fork(h);
    expect(h.sys('kill', pid, sig)).toBe(0);
    expect(h.sys('waitpid', pid, STATUS, 0)).toBe(pid);
    expect(h.peek32(STATUS)).toBe(sig);
  });

  it('ignores SIGCHLD by default, checks existence with signal 0, and rejects bad numbers', () => {
    const h = new Harness();
    const pid = fork(h);
    expect(h.sys('kill', pid, SIG.SIGCHLD)).toBe(0);
    expect(h.kernel.processes.get(pid)!.state).toBe('runnable');
    expect(h.sys('kill', pid, 0)).toBe(0);
    expect(h.sys('kill', 4242, 0)).toBe(-E.ESRCH);
    expect(h.sys('kill', pid, 65)).toBe(-E.EINVAL);
    expect(h.sys('kill', pid, -1)).toBe(-E.EINVAL);
    expect(h.sys('kill', 0x80000000, 0)).toBe(-E.ESRCH);
  });

  it('kills a sleeping process and a whole process group', () => {
    const h = new Harness();
    const a = fork(h);
    switchTo(h, a);
    expect(h.sys('setpgid', 0, 0)).toBe(0);
    expect(h.sys('getpgrp')).toBe(a);
    const b = fork(h);
    expect(h.call('waitpid', b, 0, 0).value).toBe('blocked');
    expect(h.kernel.processes.get(a)!.state).toBe('blocked');
    switchTo(h, b);
    expect(h.sys('kill', -a, SIG.SIGTERM)).toBe(0); // b is in a's group too: both die
    expect(h.current.pid).toBe(1);
    expect(h.sys('waitpid', a, STATUS, 0)).toBe(a);
    expect(h.peek32(STATUS)).toBe(SIG.SIGTERM);
    expect(h.kernel.processes.get(b)!.ppid).toBe(1);
  });

  it('setpgid refuses strangers and unknown groups', () => {
    const h = new Harness();
    expect(h.sys('setpgid', 999, 0)).toBe(-E.ESRCH);
    expect(h.sys('setpgid', 0, -1)).toBe(-E.EINVAL);
    expect(h.sys('setpgid', 0, 777)).toBe(-E.EPERM);
  });
});

describe('execve', () => {
  it('loads the program with a Linux-like initial stack and closes O_CLOEXEC descriptors', () => {
    const h = new Harness({ initramfs: image() });
    const args = DATA + 0x400;
    h.str(DATA + 0x100, 'prog');
    h.str(DATA + 0x110, '-v');
    h.str(DATA + 0x120, 'HOME=/');
    h.poke(args, new Uint8Array(new Uint32Array([DATA + 0x100, DATA + 0x110, 0, DATA + 0x120, 0]).buffer));
    const cloexec = h.sys('open', h.str(DATA + 0x200, '/dev/null'), 0o2000000, 0);
    expect(h.sys('execve', h.str(DATA, '/bin/prog'), args, args + 12)).toBe(0);
    expect(h.init.files.get(cloexec)).toBeNull();
    expect(h.init.name).toBe('prog');
    const { eip, esp } = h.arch.regsOf(h.init);
    expect(eip).toBe(LOAD_BASE + 84);
    expect(esp % 16).toBe(0);
    expect(h.peek32(esp)).toBe(2);
    const str = (va: number) => { const b = h.peek(va, 64); return new TextDecoder().decode(b.subarray(0, b.indexOf(0))); };
    expect(str(h.peek32(esp + 4))).toBe('prog');
    expect(str(h.peek32(esp + 8))).toBe('-v');
    expect(h.peek32(esp + 12)).toBe(0);
    expect(str(h.peek32(esp + 16))).toBe('HOME=/');
    expect(h.peek32(esp + 20)).toBe(0);
    const aux = new Map<number, number>();
    for (let at = esp + 24; ; at += 8) {
      const key = h.peek32(at);
      if (key === AT.NULL) break;
      aux.set(key, h.peek32(at + 4));
    }
    expect(aux.get(AT.PAGESZ)).toBe(4096);
    expect(aux.get(AT.ENTRY)).toBe(LOAD_BASE + 84);
    expect(aux.get(AT.PHDR)).toBe(LOAD_BASE + 52);
    expect(aux.get(AT.PHNUM)).toBe(1);
    expect(str(aux.get(AT.EXECFN)!)).toBe('/bin/prog');
    expect(str(aux.get(AT.PLATFORM)!)).toBe('i686');
    expect(aux.get(AT.RANDOM)).toBeGreaterThan(esp);
    // The code is there, the bss is zero, the old scratch area is gone, and the heap starts after the bss.
    expect(h.peek(LOAD_BASE + 84, CODE.length)).toEqual(CODE);
    expect(h.init.space!.probe(DATA, false)).toBe(-1);
    expect(h.sys('brk', 0)).toBe(0x0804a000);
    expect(h.sys('brk', 0x0804a000 + 10000)).toBe(0x0804a000 + 10000);
    expect(h.sys('brk', 0x1000)).toBe(0x0804a000 + 10000);
    expect(h.sys('brk', 0xbfff0000)).toBe(0x0804a000 + 10000);
  });

  it.each([
    ['/bin/nope', -E.ENOENT], ['/bin/noexec', -E.EACCES], ['/bin', -E.EACCES], ['/bin/text', -E.ENOEXEC],
    ['/bin/x64', -E.ENOEXEC], ['/bin/reloc', -E.ENOEXEC], ['/bin/prog/x', -E.ENOTDIR],
  ])('fails for %s with the caller unchanged', (path, errno) => {
    const h = new Harness({ initramfs: image() });
    const free = h.frames.freeCount;
    h.poke(DATA + 0x800, 'still here');
    expect(h.sys('execve', h.str(DATA, path), 0, 0)).toBe(errno);
    expect(h.text(DATA + 0x800, 10)).toBe('still here');
    expect(h.frames.freeCount).toBe(free);
  });

  it('answers E2BIG for oversized arguments and EFAULT for a bad argv', () => {
    const h = new Harness({ initramfs: image() });
    const big = DATA + 0x1000;
    h.str(big, 'x'.repeat(20000));
    const argv = DATA + 0x800;
    h.poke(argv, new Uint8Array(new Uint32Array([big, big, 0]).buffer));
    expect(h.sys('execve', h.str(DATA, '/bin/prog'), argv, 0)).toBe(-E.E2BIG);
    h.poke(argv, new Uint8Array(new Uint32Array([0x30000000, 0]).buffer));
    expect(h.sys('execve', DATA, argv, 0)).toBe(-E.EFAULT);
    expect(h.sys('execve', DATA, 0x30000000, 0)).toBe(-E.EFAULT);
  });
});

describe('kit_ps', () => {
  it('lists processes in pid order with their state', () => {
    const h = new Harness();
    const pid = fork(h);
    expect(h.sys('kit_ps', DATA, 10)).toBe(2);
    expect([h.peek32(DATA), h.peek32(DATA + 32), h.peek32(DATA + 36)]).toEqual([1, pid, 1]);
    expect(String.fromCharCode(h.peek(DATA + 12, 1)[0]!)).toBe('R');
    expect(h.text(DATA + 16, 4)).toBe('init');
    expect(h.sys('kit_ps', DATA, 1)).toBe(1);
    expect(h.sys('kit_ps', 0x30000000, 1)).toBe(-E.EFAULT);
  });
});

describe('init', () => {
  it('ignores signals it has no handler for, as Linux protects init', () => {
    const h = new Harness();
    const child = h.sys('fork');
    h.sys('sched_yield');
    expect(h.current.pid).toBe(child);
    expect(h.sys('kill', 1, SIG.SIGKILL)).toBe(0);
    expect(h.kernel.processes.get(1)!.state).toBe('runnable');
    h.kernel.keyboardInput(3); // Ctrl-C for the foreground group (init's): only the child dies
    expect(h.kernel.processes.get(child)!.state).toBe('zombie');
    expect(h.arch.panics).toEqual([]);
  });
});

describe('job control', () => {
  it('Ctrl-Z stops the foreground job, WUNTRACED reports it once, SIGCONT resumes it', () => {
    const h = new Harness();
    const job = h.sys('fork');
    h.sys('setpgid', job, job);
    h.poke(STATUS, new Uint8Array(new Uint32Array([job]).buffer));
    h.sys('ioctl', 0, 0x5410, STATUS);
    h.kernel.keyboardInput(0x1a);
    expect(h.kernel.processes.get(job)!.state).toBe('stopped');
    expect(h.sys('waitpid', job, STATUS, 2)).toBe(job);
    expect(h.peek32(STATUS)).toBe((SIG.SIGTSTP << 8) | 0x7f);
    expect(h.sys('waitpid', job, STATUS, 2 | 1)).toBe(0);
    h.sys('sched_yield');
    expect(h.current.pid).toBe(1); // a stopped process never runs
    expect(h.sys('kit_ps', DATA + 0x400, 4)).toBe(2);
    expect(String.fromCharCode(h.peek(DATA + 0x400 + 32 + 12, 1)[0]!)).toBe('T');
    expect(h.sys('kill', job, SIG.SIGCONT)).toBe(0);
    expect(h.sys('waitpid', job, STATUS, 8)).toBe(job);
    expect(h.peek32(STATUS)).toBe(0xffff);
    h.sys('sched_yield');
    expect(h.current.pid).toBe(job);
  });

  it('a process stopped in a blocking read finishes the read only after SIGCONT', () => {
    const h = new Harness();
    h.sys('pipe', DATA);
    const child = h.sys('fork');
    h.sys('sched_yield');
    const read = h.call('read', 3, DATA + 0x100, 10);
    expect(read.value).toBe('blocked');
    expect(h.current.pid).toBe(1);
    h.sys('kill', child, SIG.SIGSTOP);
    h.poke(DATA + 0x200, 'data');
    h.sys('write', 4, DATA + 0x200, 4);
    h.sys('sched_yield');
    expect(read.value).toBe('blocked');
    h.sys('kill', child, SIG.SIGCONT);
    h.sys('sched_yield');
    expect(read.value).toBe(4);
    expect(h.current.pid).toBe(child);
  });

  it('SIGKILL ends a stopped process', () => {
    const h = new Harness();
    const child = h.sys('fork');
    h.sys('kill', child, SIG.SIGSTOP);
    h.sys('kill', child, SIG.SIGKILL);
    expect(h.sys('waitpid', child, STATUS, 0)).toBe(child);
    expect(h.peek32(STATUS)).toBe(SIG.SIGKILL);
  });
});
