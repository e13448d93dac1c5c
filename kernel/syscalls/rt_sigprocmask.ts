// rt_sigprocmask(how, set, oldset, sigsetsize): reads and/or changes the blocked signals.
// Unblocking lets pending signals through on the way back to user mode.
import { E } from '../errno.ts';
import { UNBLOCKABLE } from '../proc/sigaction.ts';
import type { SyscallHandler } from './dispatch.ts';

export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;

function u64(bytes: Uint8Array): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
}

/** 0, or -EINVAL (bad how with a set, sigsetsize not 8), -EFAULT (nothing changed). */
export const sysRtSigprocmask: SyscallHandler = (k, p, [how, set, oldset, sigsetsize]) => {
  const size = k.abi.structSize('sigset');
  if (sigsetsize !== size) return -E.EINVAL;
  let next: bigint | null = null;
  if (set !== 0) {
    const raw = k.copyIn(p, set!, size);
    if (typeof raw === 'number') return raw;
    const mask = u64(raw);
    const blocked = p.handlers.blocked;
    if (how === SIG_BLOCK) next = blocked | mask;
    else if (how === SIG_UNBLOCK) next = blocked & ~mask;
    else if (how === SIG_SETMASK) next = mask;
    else return -E.EINVAL;
  }
  if (oldset !== 0) {
    const old = new Uint8Array(size);
    new DataView(old.buffer).setBigUint64(0, p.handlers.blocked, true);
    const r = k.copyOut(p, oldset!, old);
    if (r < 0) return r;
  }
  if (next !== null) p.handlers.blocked = next & ~UNBLOCKABLE;
  return 0;
};
