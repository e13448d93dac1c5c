// Stopping and continuing processes (SIGSTOP, SIGTSTP from Ctrl-Z, SIGTTIN, SIGTTOU; SIGCONT),
// as the shell's job control uses them. A process stopped inside a blocking call stays on its
// wait queue; after SIGCONT the call carries on as if nothing happened (it is retried when it is
// woken, like any blocked call).
import type { Kernel } from '../kernel.ts';
import type { Process } from './process.ts';
import { notifyParent } from './lifecycle.ts';
import { SI_CODE } from './siginfo.ts';
import { defaultAction, SIG } from './signals.ts';

/** Stops `p` by `sig`: it leaves the run queue until SIGCONT; its parent may see it with WUNTRACED. */
export function stopProcess(k: Kernel, p: Process, sig: number): void {
  if (p.state === 'zombie' || p.state === 'stopped') return;
  if (p.state === 'runnable') k.dequeue(p);
  p.state = 'stopped';
  p.stopSignal = sig;
  p.jobEvent = 'stopped';
  p.parent?.childWait.wakeAll();
  notifyParent(k, p, SI_CODE.CLD_STOPPED, sig);
}

/** SIGCONT: a stopped process resumes (runnable, or back to sleeping if what it waits for has not come); pending stops are dropped. */
export function continueProcess(k: Kernel, p: Process): void {
  for (const sig of p.pendingSignals) if (defaultAction(sig) === 'stop') p.pendingSignals.delete(sig);
  if (p.state !== 'stopped') return;
  p.jobEvent = 'continued';
  // Back to sleep if what it waits for has not come yet, else runnable to retry its call.
  p.state = 'blocked';
  if (!p.waitingOn) k.makeRunnable(p);
  p.parent?.childWait.wakeAll();
  notifyParent(k, p, SI_CODE.CLD_CONTINUED, SIG.SIGCONT);
}
