// Process life and death: fork, exit (zombies, orphans re-parented to init), wait with Linux's
// status encoding, and acting on fatal signals.
import { E } from '../errno.ts';
import type { Kernel } from '../kernel.ts';
import { encodeInt32 } from '../syscalls/abi.ts';
import type { Process } from './process.ts';
import { SA } from './sigaction.ts';
import { SI_CODE } from './siginfo.ts';
import { continuedStatus, SIG, stoppedStatus } from './signals.ts';
import { block, type SyscallOutcome } from './wait-queue.ts';

/** waitpid/wait4 option bits. */
export const WNOHANG = 1;
export const WUNTRACED = 2;
export const WCONTINUED = 8;
/** Linux's __WNOTHREAD, __WALL, __WCLONE: accepted, meaningless without threads. */
const WAIT_THREAD_BITS = 0x20000000 | 0x40000000 | 0x80000000;

/** Creates a child of `parent`: a copy-on-write copy of its memory, a copy of its descriptor table. Returns the child's pid or -errno. */
export function forkProcess(k: Kernel, parent: Process): number {
  const pid = k.allocatePid();
  if (pid < 0) return pid;
  const space = parent.space?.fork() ?? null;
  if (!space) return -E.ENOMEM;
  const child = k.newProcess(pid, parent, space, parent.files.clone());
  const context = k.arch.forkContext(parent, child);
  if (context < 0) {
    // Undo in reverse: the descriptors' references, the child's tables, its process-table entry.
    // The parent keeps its pages write-protected; a write finds them unshared and just re-enables writing.
    child.files.closeAll();
    space.destroy();
    reap(k, child);
    return context;
  }
  child.pgid = parent.pgid;
  child.cwd = parent.cwd;
  child.name = parent.name;
  child.brkStart = parent.brkStart;
  child.brk = parent.brk;
  child.argBlock = parent.argBlock;
  child.handlers = parent.handlers.clone();
  parent.trace?.join(child);
  k.makeRunnable(child);
  return pid;
}

/** Ends `p` with wait status `status`: frees its memory and files, makes it a zombie, hands its children to init, wakes its parent. */
export function exitProcess(k: Kernel, p: Process, status: number): void {
  if (p.state === 'zombie') return;
  p.waitingOn?.remove(p);
  p.waitingOn = null;
  p.pendingCall = null;
  p.pendingSignals.clear();
  k.dequeue(p);
  p.files.closeAll();
  p.space?.destroy();
  p.space = null;
  p.state = 'zombie';
  p.exitStatus = status;
  k.dispatcher.trace?.processExit(p, status);
  const init = k.processes.get(1);
  for (const child of p.children) {
    if (init && init !== p) {
      child.parent = init;
      init.children.add(child);
      if (child.state === 'zombie') init.childWait.wakeAll();
    } else {
      child.parent = null;
    }
  }
  p.children.clear();
  if (p.parent) {
    p.parent.childWait.wakeAll();
    const sig = status & 0x7f;
    notifyParent(k, p, sig === 0 ? SI_CODE.CLD_EXITED : status & 0x80 ? SI_CODE.CLD_DUMPED : SI_CODE.CLD_KILLED, sig === 0 ? (status >> 8) & 0xff : sig);
  } else {
    reap(k, p);
  }
  if (p.pid === 1) k.arch.panic(`init exited with status 0x${status.toString(16)}: attempted to kill init`);
}

/**
 * Sends SIGCHLD to `child`'s parent, as Linux does when a child ends, stops or continues (the
 * last two not when the parent's SIGCHLD action has SA_NOCLDSTOP). The default action ignores it.
 */
export function notifyParent(k: Kernel, child: Process, code: number, status: number): void {
  const parent = child.parent;
  if (!parent) return;
  const stopOrContinue = code === SI_CODE.CLD_STOPPED || code === SI_CODE.CLD_CONTINUED;
  if (stopOrContinue && parent.handlers.get(SIG.SIGCHLD).flags & SA.NOCLDSTOP) return;
  k.signal(parent, SIG.SIGCHLD, false, { code, pid: child.pid, status });
}

/** Removes a zombie from the process table for good. */
export function reap(k: Kernel, p: Process): void {
  k.processes.delete(p.pid);
  p.parent?.children.delete(p);
  k.arch.release(p);
}

/** Which children a wait for `pid` may collect (waitpid's rules: >0 that child, -1 any, 0 my group, <-1 that group). */
function matches(parent: Process, child: Process, pid: number): boolean {
  if (pid > 0) return child.pid === pid;
  if (pid === -1) return true;
  if (pid === 0) return child.pgid === parent.pgid;
  return child.pgid === -pid;
}

/**
 * waitpid/wait4 for `p`: collects a zombie child matching `pid`, or reports a stop (WUNTRACED)
 * or continue (WCONTINUED) once: its pid, the status written to `statusVa` when non-zero, zeroed
 * rusage to `rusageVa` when non-zero; 0 with WNOHANG when nothing is to report, -ECHILD when no
 * child matches, -EINVAL for unknown options; otherwise blocks.
 * A bad pointer answers -EFAULT and leaves the child unreaped.
 */
export function waitChild(k: Kernel, p: Process, pid: number, statusVa: number, options: number, rusageVa: number): SyscallOutcome {
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | WAIT_THREAD_BITS)) return -E.EINVAL;
  const candidates = [...p.children].filter((c) => matches(p, c, pid)).sort((a, b) => a.pid - b.pid);
  if (candidates.length === 0) return -E.ECHILD;
  const found = candidates.find((c) => c.state === 'zombie'
    || (options & WUNTRACED && c.jobEvent === 'stopped')
    || (options & WCONTINUED && c.jobEvent === 'continued'));
  if (!found) return options & WNOHANG ? 0 : block(p.childWait);
  const reaping = found.state === 'zombie';
  const status = reaping ? found.exitStatus : found.jobEvent === 'stopped' ? stoppedStatus(found.stopSignal) : continuedStatus();
  const rusageBytes = k.abi.structSize('rusage');
  if (statusVa !== 0 && !k.writableRange(p, statusVa, 4)) return -E.EFAULT;
  if (rusageVa !== 0 && !k.writableRange(p, rusageVa, rusageBytes)) return -E.EFAULT;
  if (statusVa !== 0) {
    const r = k.copyOut(p, statusVa, encodeInt32(status));
    if (r < 0) return r;
  }
  if (rusageVa !== 0) {
    const r = k.copyOut(p, rusageVa, new Uint8Array(rusageBytes));
    if (r < 0) return r;
  }
  if (reaping) reap(k, found);
  else found.jobEvent = null;
  return found.pid;
}
