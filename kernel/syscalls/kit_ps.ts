// kit_ps(buf, count): a teaching call for ps: fills up to count process records (pid, ppid,
// pgid, state, name) in pid order and answers how many it wrote.
import type { SyscallHandler } from './dispatch.ts';

/** The number of records, or -EFAULT. */
export const sysKitPs: SyscallHandler = (k, p, [buf, count]) => {
  const procs = [...k.processes.values()].sort((a, b) => a.pid - b.pid).slice(0, count!);
  const size = k.abi.structSize('procinfo');
  const out = new Uint8Array(procs.length * size);
  procs.forEach((q, i) => {
    const state = { zombie: 'Z', blocked: 'S', stopped: 'T', runnable: 'R' }[q.state];
    out.set(k.abi.encodeProcInfo({ pid: q.pid, ppid: q.ppid, pgid: q.pgid, state, name: q.name }), i * size);
  });
  const r = k.copyOut(p, buf!, out);
  return r < 0 ? r : procs.length;
};
