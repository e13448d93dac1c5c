// kit_ps(buf, count): a teaching call for ps: fills up to count process records (pid, ppid,
// pgid, state, name) in pid order and answers how many it wrote.
import type { ProcInfo } from './abi.ts';
import type { SyscallHandler } from './dispatch.ts';

/**
 * struct kit_procinfo { int pid; int ppid; int pgid; char state; char pad[3]; char name[16]; }:
 * byte offsets and size, the same in every ABI (ints and chars only).
 */
export const PROCINFO = { pid: 0, ppid: 4, pgid: 8, state: 12, name: 16, nameBytes: 16, size: 32 } as const;

/** One record; the name is cut to 15 bytes and NUL-terminated. */
export function encodeProcInfo(p: ProcInfo): Uint8Array {
  const bytes = new Uint8Array(PROCINFO.size);
  const v = new DataView(bytes.buffer);
  v.setInt32(PROCINFO.pid, p.pid, true);
  v.setInt32(PROCINFO.ppid, p.ppid, true);
  v.setInt32(PROCINFO.pgid, p.pgid, true);
  bytes[PROCINFO.state] = p.state.charCodeAt(0);
  for (let i = 0; i < Math.min(p.name.length, PROCINFO.nameBytes - 1); i++) bytes[PROCINFO.name + i] = p.name.charCodeAt(i) & 0xff;
  return bytes;
}

/** The number of records, or -EFAULT. */
export const sysKitPs: SyscallHandler = (k, p, [buf, count]) => {
  const procs = [...k.processes.values()].sort((a, b) => a.pid - b.pid).slice(0, count!);
  const out = new Uint8Array(procs.length * PROCINFO.size);
  procs.forEach((q, i) => {
    const state = { zombie: 'Z', blocked: 'S', stopped: 'T', runnable: 'R' }[q.state];
    out.set(encodeProcInfo({ pid: q.pid, ppid: q.ppid, pgid: q.pgid, state, name: q.name }), i * PROCINFO.size);
  });
  const r = k.copyOut(p, buf!, out);
  return r < 0 ? r : procs.length;
};
