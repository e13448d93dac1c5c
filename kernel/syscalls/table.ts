// The system call table: the single source of truth for every call the kernel offers. The
// dispatch table, the strace decoder, userland/include/syscalls.inc and docs/syscalls.md all
// come from these rows. Adding a call = one row here + one handler file beside this one.
import {
  fd, inBuf, inStruct, int, outBuf, outStruct, path, scalar, strArray, uint,
} from './spec.ts';
import type { SyscallEntry } from './dispatch.ts';
import { sysBrk } from './brk.ts';
import { sysChdir } from './chdir.ts';
import { sysClockGettime } from './clock_gettime.ts';
import { sysClose } from './close.ts';
import { sysDup } from './dup.ts';
import { sysDup2 } from './dup2.ts';
import { sysExecve } from './execve.ts';
import { sysExit } from './exit.ts';
import { sysExitGroup } from './exit_group.ts';
import { sysFork } from './fork.ts';
import { sysFstat } from './fstat.ts';
import { sysGetcwd } from './getcwd.ts';
import { sysGetdents } from './getdents.ts';
import { sysGetpgrp } from './getpgrp.ts';
import { sysGetpid } from './getpid.ts';
import { sysGetppid } from './getppid.ts';
import { sysGettimeofday } from './gettimeofday.ts';
import { sysIoctl } from './ioctl.ts';
import { sysKill } from './kill.ts';
import { sysKitPs } from './kit_ps.ts';
import { sysKitTrace } from './kit_trace.ts';
import { sysLseek } from './lseek.ts';
import { sysMkdir } from './mkdir.ts';
import { sysNanosleep } from './nanosleep.ts';
import { sysOpen } from './open.ts';
import { sysPipe } from './pipe.ts';
import { sysRead } from './read.ts';
import { sysRmdir } from './rmdir.ts';
import { sysRtSigaction } from './rt_sigaction.ts';
import { sysRtSigprocmask } from './rt_sigprocmask.ts';
import { sysRtSigreturn } from './rt_sigreturn.ts';
import { sysSchedYield } from './sched_yield.ts';
import { sysSetpgid } from './setpgid.ts';
import { sysStat } from './stat.ts';
import { sysTime } from './time.ts';
import { sysUname } from './uname.ts';
import { sysUnlink } from './unlink.ts';
import { sysWait4 } from './wait4.ts';
import { sysWaitpid } from './waitpid.ts';
import { sysWrite } from './write.ts';

/** Every system call, in i386 number order. */
export const SYSCALLS: readonly SyscallEntry[] = [
  { name: 'exit', handler: sysExit, i386: 1, x86_64: 60, args: [int('status')], returns: 'noreturn', wrapper: '_exit', category: 'process',
    summary: 'terminate the calling process (libc exit flushes, then calls _exit)' },
  { name: 'fork', handler: sysFork, i386: 2, x86_64: 57, args: [], category: 'process',
    summary: 'create a child process: a copy-on-write copy of the caller' },
  { name: 'read', handler: sysRead, i386: 3, x86_64: 0, args: [fd(), outBuf('buf', 2), uint('count')], category: 'file',
    summary: 'read up to count bytes from a file, pipe or the console' },
  { name: 'write', handler: sysWrite, i386: 4, x86_64: 1, args: [fd(), inBuf('buf', 2), uint('count')], category: 'file',
    summary: 'write count bytes to a file, pipe or the console' },
  { name: 'open', handler: sysOpen, i386: 5, x86_64: 2, args: [path(), scalar('flags', 'openflags'), scalar('mode', 'mode')], category: 'file',
    summary: 'open (or create) a file and return a new file descriptor' },
  { name: 'close', handler: sysClose, i386: 6, x86_64: 3, args: [fd()], category: 'file',
    summary: 'release a file descriptor' },
  { name: 'waitpid', handler: sysWaitpid, i386: 7, x86_64: null, args: [scalar('pid', 'pid'), outStruct('wstatus', 'int', true), scalar('options', 'waitoptions')], category: 'process',
    summary: 'wait for a child to exit and collect its status' },
  { name: 'unlink', handler: sysUnlink, i386: 10, x86_64: 87, args: [path()], category: 'file',
    summary: 'remove a name from the file system' },
  { name: 'execve', handler: sysExecve, i386: 11, x86_64: 59, args: [path('filename'), strArray('argv'), strArray('envp')], category: 'process',
    summary: 'replace the program of the calling process' },
  { name: 'chdir', handler: sysChdir, i386: 12, x86_64: 80, args: [path('path')], category: 'file',
    summary: 'change the working directory' },
  { name: 'time', handler: sysTime, i386: 13, x86_64: 201, args: [outStruct('tloc', 'time', true)], category: 'information',
    summary: 'seconds since the Epoch' },
  { name: 'lseek', handler: sysLseek, i386: 19, x86_64: 8, args: [fd(), int('offset'), scalar('whence', 'whence')], category: 'file',
    summary: 'move the file offset' },
  { name: 'getpid', handler: sysGetpid, i386: 20, x86_64: 39, args: [], category: 'information',
    summary: 'the caller\'s process id' },
  { name: 'kill', handler: sysKill, i386: 37, x86_64: 62, args: [scalar('pid', 'pid'), scalar('sig', 'signal')], category: 'communication',
    summary: 'send a signal to a process or a process group' },
  { name: 'mkdir', handler: sysMkdir, i386: 39, x86_64: 83, args: [path(), scalar('mode', 'mode')], category: 'file',
    summary: 'create a directory' },
  { name: 'rmdir', handler: sysRmdir, i386: 40, x86_64: 84, args: [path()], category: 'file',
    summary: 'remove an empty directory' },
  { name: 'dup', handler: sysDup, i386: 41, x86_64: 32, args: [fd('oldfd')], category: 'file',
    summary: 'duplicate a file descriptor onto the lowest free number' },
  { name: 'pipe', handler: sysPipe, i386: 42, x86_64: 22, args: [outStruct('pipefd', 'fdpair')], category: 'communication',
    summary: 'create a pipe: pipefd[0] reads what pipefd[1] writes' },
  { name: 'brk', handler: sysBrk, i386: 45, x86_64: 12, args: [scalar('addr', 'ptr')], returns: 'hex', category: 'memory',
    summary: 'move the end of the data segment; returns the (new) break' },
  { name: 'ioctl', handler: sysIoctl, i386: 54, x86_64: 16, args: [fd(), scalar('request', 'ioctlcmd'), scalar('argp', 'ptr')], category: 'device',
    summary: 'device control: terminal attributes and foreground process group' },
  { name: 'setpgid', handler: sysSetpgid, i386: 57, x86_64: 109, args: [scalar('pid', 'pid'), scalar('pgid', 'pid')], category: 'process',
    summary: 'move a process into a process group' },
  { name: 'dup2', handler: sysDup2, i386: 63, x86_64: 33, args: [fd('oldfd'), fd('newfd')], category: 'file',
    summary: 'duplicate a file descriptor onto a chosen number' },
  { name: 'getppid', handler: sysGetppid, i386: 64, x86_64: 110, args: [], category: 'information',
    summary: 'the parent\'s process id' },
  { name: 'getpgrp', handler: sysGetpgrp, i386: 65, x86_64: 111, args: [], category: 'information',
    summary: 'the caller\'s process group' },
  { name: 'gettimeofday', handler: sysGettimeofday, i386: 78, x86_64: 96, args: [outStruct('tv', 'timeval', true), outStruct('tz', 'timezone', true)], category: 'information',
    summary: 'wall-clock time in seconds and microseconds' },
  { name: 'stat', handler: sysStat, i386: 106, x86_64: 4, args: [path(), outStruct('statbuf', 'stat')], category: 'file',
    summary: 'file status by path name' },
  { name: 'fstat', handler: sysFstat, i386: 108, x86_64: 5, args: [fd(), outStruct('statbuf', 'stat')], category: 'file',
    summary: 'file status by file descriptor' },
  { name: 'wait4', handler: sysWait4, i386: 114, x86_64: 61, args: [scalar('pid', 'pid'), outStruct('wstatus', 'int', true), scalar('options', 'waitoptions'), outStruct('rusage', 'rusage', true)], category: 'process',
    summary: 'waitpid with resource usage' },
  { name: 'uname', handler: sysUname, i386: 122, x86_64: 63, args: [outStruct('buf', 'utsname')], category: 'information',
    summary: 'system name, release and machine' },
  { name: 'getdents', handler: sysGetdents, i386: 141, x86_64: 78, args: [fd(), outBuf('dirp', 2), uint('count')], category: 'file',
    summary: 'read directory entries' },
  { name: 'sched_yield', handler: sysSchedYield, i386: 158, x86_64: 24, args: [], category: 'process',
    summary: 'let the next runnable process run' },
  { name: 'nanosleep', handler: sysNanosleep, i386: 162, x86_64: 35, args: [inStruct('req', 'timespec'), outStruct('rem', 'timespec', true)], category: 'process',
    summary: 'sleep for a time interval' },
  { name: 'rt_sigreturn', handler: sysRtSigreturn, i386: 173, x86_64: 15, args: [], returns: 'noreturn', category: 'communication',
    summary: 'return from a signal handler: registers and mask come back from the signal frame' },
  { name: 'rt_sigaction', handler: sysRtSigaction, i386: 174, x86_64: 13, args: [scalar('sig', 'signal'), inStruct('act', 'sigaction', true), outStruct('oldact', 'sigaction', true), uint('sigsetsize')], category: 'communication',
    summary: 'set or read how a signal is handled: default, ignored, or a handler' },
  { name: 'rt_sigprocmask', handler: sysRtSigprocmask, i386: 175, x86_64: 14, args: [int('how'), inStruct('set', 'sigset', true), outStruct('oldset', 'sigset', true), uint('sigsetsize')], category: 'communication',
    summary: 'block or unblock signals' },
  { name: 'getcwd', handler: sysGetcwd, i386: 183, x86_64: 79, args: [outBuf('buf', 1), uint('size')], category: 'file',
    summary: 'the working directory as a path' },
  { name: 'exit_group', handler: sysExitGroup, i386: 252, x86_64: 231, args: [int('status')], returns: 'noreturn', category: 'process',
    summary: 'terminate every thread of the process' },
  { name: 'clock_gettime', handler: sysClockGettime, i386: 265, x86_64: 228, args: [scalar('clockid', 'clockid'), outStruct('tp', 'timespec')], category: 'information',
    summary: 'time of a clock in seconds and nanoseconds' },
  { name: 'kit_ps', handler: sysKitPs, i386: 1000, x86_64: 1000, args: [outStruct('buf', 'procinfo'), uint('count')], category: 'information',
    summary: 'teaching call: fill an array of count process records for ps; returns how many' },
  { name: 'kit_trace', handler: sysKitTrace, i386: 1001, x86_64: 1001, args: [fd(), uint('flags')], category: 'information',
    summary: 'teaching call for strace: trace the caller and its later children to fd (flags 1: strace -c summary)' },
];
