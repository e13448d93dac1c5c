// execve(filename, argv, envp): runs a new program in the calling process.
import { ARG_MAX, execProgram } from '../proc/exec.ts';
import type { SyscallHandler } from './dispatch.ts';
import { readStringArray } from './helpers.ts';

/** 0 (the caller now runs the new program), or -errno with the caller unchanged. */
export const sysExecve: SyscallHandler = (k, p, [pathVa, argvVa, envpVa]) => {
  const path = k.readString(p, pathVa!);
  if (typeof path === 'number') return path;
  const argv = readStringArray(k, p, argvVa!, ARG_MAX);
  if (typeof argv === 'number') return argv;
  const envp = readStringArray(k, p, envpVa!, ARG_MAX);
  if (typeof envp === 'number') return envp;
  return execProgram(k, p, path, argv, envp);
};
