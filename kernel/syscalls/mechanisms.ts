// The names of the ways into the kernel, as DESIGN.md lists them. A name is also the userland's
// abi/NAME.inc, `make run ABI=NAME` and what strace shows for a call.

/** Every entry mechanism of the design, 32-bit first; `syscall` is 64-bit only. */
export const MECHANISMS = ['int80', 'stack', 'callgate', 'sysenter', 'argblock', 'vdso', 'syscall'] as const;

/** One entry mechanism. */
export type Mechanism = (typeof MECHANISMS)[number];

/** Whether `name` is one of the design's mechanisms. */
export function isMechanism(name: string): name is Mechanism {
  return (MECHANISMS as readonly string[]).includes(name);
}
