// uname(buf): the system's name, release and machine.
import type { SyscallHandler } from './dispatch.ts';

/** What uname reports. */
export const UTS = { sysname: 'SyscallKit', nodename: 'kit', release: '1.0.0', version: '#1' } as const;

/** 0, or -EFAULT. */
export const sysUname: SyscallHandler = (k, p, [buf]) =>
  k.copyOut(p, buf!, k.abi.encodeUtsname({ ...UTS, machine: k.abi.machine, domainname: '(none)' }));
