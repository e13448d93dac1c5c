// Linux's error numbers (asm-generic/errno-base.h and errno.h), their names and the messages
// glibc's strerror gives. The single source for the kernel's -errno results, strerror in the
// userland (through the generated errno.inc) and the strace decoder.

/** One error: its Linux number, symbolic name and strerror message. */
export interface ErrnoInfo {
  readonly value: number;
  readonly name: string;
  readonly message: string;
}

const TABLE = [
  { value: 1, name: 'EPERM', message: 'Operation not permitted' },
  { value: 2, name: 'ENOENT', message: 'No such file or directory' },
  { value: 3, name: 'ESRCH', message: 'No such process' },
  { value: 4, name: 'EINTR', message: 'Interrupted system call' },
  { value: 5, name: 'EIO', message: 'Input/output error' },
  { value: 6, name: 'ENXIO', message: 'No such device or address' },
  { value: 7, name: 'E2BIG', message: 'Argument list too long' },
  { value: 8, name: 'ENOEXEC', message: 'Exec format error' },
  { value: 9, name: 'EBADF', message: 'Bad file descriptor' },
  { value: 10, name: 'ECHILD', message: 'No child processes' },
  { value: 11, name: 'EAGAIN', message: 'Resource temporarily unavailable' },
  { value: 12, name: 'ENOMEM', message: 'Cannot allocate memory' },
  { value: 13, name: 'EACCES', message: 'Permission denied' },
  { value: 14, name: 'EFAULT', message: 'Bad address' },
  { value: 15, name: 'ENOTBLK', message: 'Block device required' },
  { value: 16, name: 'EBUSY', message: 'Device or resource busy' },
  { value: 17, name: 'EEXIST', message: 'File exists' },
  { value: 18, name: 'EXDEV', message: 'Invalid cross-device link' },
  { value: 19, name: 'ENODEV', message: 'No such device' },
  { value: 20, name: 'ENOTDIR', message: 'Not a directory' },
  { value: 21, name: 'EISDIR', message: 'Is a directory' },
  { value: 22, name: 'EINVAL', message: 'Invalid argument' },
  { value: 23, name: 'ENFILE', message: 'Too many open files in system' },
  { value: 24, name: 'EMFILE', message: 'Too many open files' },
  { value: 25, name: 'ENOTTY', message: 'Inappropriate ioctl for device' },
  { value: 26, name: 'ETXTBSY', message: 'Text file busy' },
  { value: 27, name: 'EFBIG', message: 'File too large' },
  { value: 28, name: 'ENOSPC', message: 'No space left on device' },
  { value: 29, name: 'ESPIPE', message: 'Illegal seek' },
  { value: 30, name: 'EROFS', message: 'Read-only file system' },
  { value: 31, name: 'EMLINK', message: 'Too many links' },
  { value: 32, name: 'EPIPE', message: 'Broken pipe' },
  { value: 33, name: 'EDOM', message: 'Numerical argument out of domain' },
  { value: 34, name: 'ERANGE', message: 'Numerical result out of range' },
  { value: 35, name: 'EDEADLK', message: 'Resource deadlock avoided' },
  { value: 36, name: 'ENAMETOOLONG', message: 'File name too long' },
  { value: 37, name: 'ENOLCK', message: 'No locks available' },
  { value: 38, name: 'ENOSYS', message: 'Function not implemented' },
  { value: 39, name: 'ENOTEMPTY', message: 'Directory not empty' },
  { value: 40, name: 'ELOOP', message: 'Too many levels of symbolic links' },
  { value: 75, name: 'EOVERFLOW', message: 'Value too large for defined data type' },
] as const satisfies readonly ErrnoInfo[];

/** The symbolic names, as a type. */
export type ErrnoName = (typeof TABLE)[number]['name'];

/** Every error the kernel knows, in increasing number order. */
export const ERRNOS: readonly ErrnoInfo[] = TABLE;

const byValue = new Map<number, ErrnoInfo>(TABLE.map((e) => [e.value, e]));

/** The error numbers by name, for handlers: `return -E.ENOENT`. */
export const E = Object.fromEntries(TABLE.map((e) => [e.name, e.value])) as { readonly [K in ErrnoName]: number };

/** The entry for `value` (a positive errno), or undefined for a number Linux does not define here. */
export function errnoInfo(value: number): ErrnoInfo | undefined {
  return byValue.get(value);
}

/** strerror: the message for `value`, or "Unknown error N" as glibc says for unknown numbers. */
export function strerror(value: number): string {
  return byValue.get(value)?.message ?? `Unknown error ${value}`;
}

/** Whether a raw syscall result is an error: Linux reserves -4095..-1 for -errno. */
export function isErrorResult(result: number): boolean {
  return result < 0 && result >= -4095;
}
