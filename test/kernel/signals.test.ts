import { describe, expect, it } from 'vitest';
import { E } from '../../kernel/errno.ts';
import { SA, sigbit } from '../../kernel/proc/sigaction.ts';
import { SIG } from '../../kernel/proc/signals.ts';
import { packInitramfs } from '../../tools/gen/initramfs.ts';
import { elf32 } from './helpers/elf.ts';
import { DATA, Harness } from './helpers/harness.ts';

const ACT = DATA + 0x100;
const OLD = DATA + 0x200;
const SET = DATA + 0x300;
const HANDLER = 0x08048100;
const RESTORER = 0x08048200;

/** rt_sigaction(sig, {handler, flags, restorer, mask}, NULL, 8) from the current process. */
function sigaction(h: Harness, sig: number, handler: number, flags = 0, mask = 0n): number {
  const bytes = new Uint8Array(20);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, handler, true);
  v.setUint32(4, (flags | SA.RESTORER) >>> 0, true);
  v.setUint32(8, RESTORER, true);
  v.setBigUint64(12, mask, true);
  h.poke(ACT, bytes);
  return h.sys('rt_sigaction', sig, ACT, 0, 8);
}

function blocked(h: Harness): bigint {
  expect(h.sys('rt_sigprocmask', 0, 0, OLD, 8)).toBe(0);
  return new DataView(h.peek(OLD, 8).buffer).getBigUint64(0, true);
}

describe('signal dispositions', () => {
  it('SIG_IGN keeps a process alive through kill and Ctrl-C', () => {
    const h = new Harness();
    const child = h.sys('fork');
    h.sys('sched_yield');
    expect(sigaction(h, SIG.SIGINT, 1)).toBe(0);
    expect(h.sys('kill', child, SIG.SIGINT)).toBe(0);
    h.kernel.keyboardInput(3);
    expect(h.current.pid).toBe(child);
    expect(h.sys('rt_sigaction', SIG.SIGINT, 0, OLD, 8)).toBe(0);
    expect(h.peek32(OLD)).toBe(1);
  });

  it('accepts only SIG_DFL and SIG_IGN when the architecture has no signal frames', () => {
    const h = new Harness();
    Object.assign(h.arch, { pushSignalFrame: undefined, popSignalFrame: undefined });
    expect(sigaction(h, SIG.SIGUSR1, HANDLER)).toBe(-E.ENOSYS);
    expect(sigaction(h, SIG.SIGUSR1, 1)).toBe(0);
  });

  it('refuses SIGKILL and SIGSTOP, bad numbers and a wrong sigsetsize', () => {
    const h = new Harness();
    expect(sigaction(h, SIG.SIGKILL, 1)).toBe(-E.EINVAL);
    expect(sigaction(h, SIG.SIGSTOP, HANDLER)).toBe(-E.EINVAL);
    expect(sigaction(h, 0, 1)).toBe(-E.EINVAL);
    expect(sigaction(h, 65, 1)).toBe(-E.EINVAL);
    expect(h.sys('rt_sigaction', SIG.SIGINT, ACT, 0, 4)).toBe(-E.EINVAL);
    expect(h.sys('rt_sigprocmask', 7, SET, 0, 8)).toBe(-E.EINVAL);
    expect(h.sys('rt_sigaction', SIG.SIGKILL, 0, OLD, 8)).toBe(0); // reading is fine
  });

  it('a fault\'s signal kills even when ignored', () => {
    const h = new Harness();
    const child = h.sys('fork');
    h.sys('sched_yield');
    sigaction(h, SIG.SIGSEGV, 1);
    h.kernel.userException(13);
    expect(h.sys('waitpid', child, DATA, 0)).toBe(child);
    expect(h.peek32(DATA)).toBe(SIG.SIGSEGV);
  });
});

describe('signal handlers', () => {
  it('enter the handler with the signal blocked, and rt_sigreturn restores registers and mask', () => {
    const h = new Harness();
    const regs = h.arch.regsOf(h.current);
    regs.eip = 0x08049000;
    regs.esp = 0xbffff000;
    expect(sigaction(h, SIG.SIGUSR1, HANDLER, 0, sigbit(SIG.SIGUSR2))).toBe(0);
    expect(h.sys('kill', 1, SIG.SIGUSR1)).toBe(0); // init may signal itself: it has a handler
    expect(h.arch.regsOf(h.current)).toMatchObject({ eip: HANDLER, eax: SIG.SIGUSR1 });
    expect(h.arch.signalFrames.get(1)![0]!.regs.eax).toBe(0); // kill's result, saved in the frame
    expect(blocked(h)).toBe(sigbit(SIG.SIGUSR1) | sigbit(SIG.SIGUSR2));
    expect(h.call('rt_sigreturn').value).toBe('blocked'); // no result written: eax comes from the frame
    expect(h.arch.regsOf(h.current)).toMatchObject({ eip: 0x08049000, esp: 0xbffff000, eax: 0 });
    expect(blocked(h)).toBe(0n);
  });

  it('a blocked signal waits until it is unblocked', () => {
    const h = new Harness();
    sigaction(h, SIG.SIGUSR1, HANDLER);
    h.poke(SET, new Uint8Array(new BigUint64Array([sigbit(SIG.SIGUSR1)]).buffer));
    expect(h.sys('rt_sigprocmask', 0, SET, 0, 8)).toBe(0);
    h.sys('kill', 1, SIG.SIGUSR1);
    expect(h.arch.signalFrames.get(1) ?? []).toHaveLength(0);
    expect(h.sys('rt_sigprocmask', 1, SET, 0, 8)).toBe(0);
    expect(h.arch.signalFrames.get(1)).toHaveLength(1);
  });

  it('interrupt a sleeping call with EINTR', () => {
    const h = new Harness();
    h.sys('pipe', DATA);
    const child = h.sys('fork');
    h.sys('sched_yield');
    sigaction(h, SIG.SIGUSR1, HANDLER);
    const read = h.call('read', 3, DATA + 0x400, 10);
    expect(read.value).toBe('blocked');
    expect(h.current.pid).toBe(1);
    h.sys('kill', child, SIG.SIGUSR1);
    h.sys('sched_yield');
    expect(read.value).toBe(-E.EINTR);
    expect(h.current.pid).toBe(child);
    expect(h.arch.regsOf(h.current).eip).toBe(HANDLER);
  });

  it('with SA_RESTART, resume the interrupted call after the handler returns', () => {
    const h = new Harness();
    h.sys('pipe', DATA);
    const child = h.sys('fork');
    h.sys('sched_yield');
    sigaction(h, SIG.SIGUSR1, HANDLER, SA.RESTART);
    const read = h.call('read', 3, DATA + 0x400, 10);
    h.sys('kill', child, SIG.SIGUSR1);
    h.sys('sched_yield');
    expect(read.value).toBe('blocked');
    expect(h.current.pid).toBe(child);
    expect(h.arch.regsOf(h.current).eip).toBe(HANDLER);
    h.call('rt_sigreturn'); // back into read, which sleeps again
    expect(h.current.pid).toBe(1);
    h.poke(DATA + 0x500, 'go');
    h.sys('write', 4, DATA + 0x500, 2);
    h.sys('sched_yield');
    expect(read.value).toBe(2);
  });

  it('a signal frame the user stack cannot take, or a bad rt_sigreturn, is SIGSEGV', () => {
    const h = new Harness();
    const a = h.sys('fork');
    const b = h.sys('fork');
    h.sys('sched_yield');
    expect(h.current.pid).toBe(a);
    sigaction(h, SIG.SIGUSR1, HANDLER);
    h.arch.failNextFrame = true;
    h.sys('kill', a, SIG.SIGUSR1);
    expect(h.kernel.processes.get(a)!.state).toBe('zombie');
    h.sys('sched_yield');
    if (h.current.pid !== b) h.sys('sched_yield');
    expect(h.current.pid).toBe(b);
    h.call('rt_sigreturn');
    expect(h.kernel.processes.get(b)!.state).toBe('zombie');
    expect(h.sys('waitpid', a, DATA, 0)).toBe(a);
    expect(h.peek32(DATA)).toBe(SIG.SIGSEGV);
    expect(h.sys('waitpid', b, DATA, 0)).toBe(b);
    expect(h.peek32(DATA)).toBe(SIG.SIGSEGV);
  });

  it('survive fork, and exec resets handlers but keeps ignored signals', () => {
    const h = new Harness({ initramfs: packInitramfs([{ path: '/bin/p', data: elf32(Uint8Array.of(0xeb, 0xfe)), perm: 0o755 }]) });
    sigaction(h, SIG.SIGUSR1, HANDLER);
    sigaction(h, SIG.SIGINT, 1);
    const child = h.sys('fork');
    expect(h.kernel.processes.get(child)!.handlers.get(SIG.SIGUSR1).handler).toBe(HANDLER);
    expect(h.sys('execve', h.str(DATA, '/bin/p'), 0, 0)).toBe(0);
    expect(h.init.handlers.get(SIG.SIGUSR1).handler).toBe(0);
    expect(h.init.handlers.get(SIG.SIGINT).handler).toBe(1);
  });
});

describe('nested handlers', () => {
  it('each rt_sigreturn resumes the call its own signal interrupted', () => {
    const h = new Harness();
    h.sys('pipe', DATA); // 3, 4
    h.sys('pipe', DATA + 8); // 5, 6
    const child = h.sys('fork');
    h.sys('sched_yield');
    sigaction(h, SIG.SIGUSR1, HANDLER, SA.RESTART | SA.NODEFER);
    const outer = h.call('read', 3, DATA + 0x400, 10);
    h.sys('kill', child, SIG.SIGUSR1);
    h.sys('sched_yield'); // the child runs its handler, which reads the other pipe
    const inner = h.call('read', 5, DATA + 0x500, 10);
    h.sys('kill', child, SIG.SIGUSR1);
    h.sys('sched_yield'); // a second, nested handler
    expect(h.current.pid).toBe(child);
    expect(h.arch.signalFrames.get(child)).toHaveLength(2);
    h.call('rt_sigreturn'); // back into the inner read, which sleeps
    h.poke(DATA + 0x600, 'in');
    h.sys('write', 6, DATA + 0x600, 2);
    h.sys('sched_yield');
    expect(inner.value).toBe(2);
    expect(outer.value).toBe('blocked');
    h.call('rt_sigreturn'); // back into the outer read
    h.poke(DATA + 0x600, 'out');
    h.sys('write', 4, DATA + 0x600, 3);
    h.sys('sched_yield');
    expect(outer.value).toBe(3);
  });
});
