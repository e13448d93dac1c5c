// The vocabulary of the syscall table: what each argument is, so that one table can drive the
// dispatcher, the strace decoder, the generated NASM include and the documentation.

/** Scalar arguments, decoded by strace from the register value alone. */
export type ScalarKind =
  | 'fd' // a file descriptor (int)
  | 'int' // a signed int
  | 'uint' // an unsigned int or size_t
  | 'pid' // a process id (signed: -1 and 0 mean groups)
  | 'signal' // a signal number, printed as SIGINT...
  | 'openflags' // O_RDONLY|O_CREAT...
  | 'mode' // permission bits, printed in octal
  | 'whence' // SEEK_SET, SEEK_CUR, SEEK_END
  | 'waitoptions' // WNOHANG|WUNTRACED
  | 'clockid' // CLOCK_REALTIME, CLOCK_MONOTONIC
  | 'ioctlcmd' // an ioctl request number, printed by name when known
  | 'ptr' // an address the call uses as a number (brk), printed in hex
  | 'raw'; // a register of a call strace does not know (an unknown number), printed as 0 or 0x...

/** Every argument: a scalar, or a user pointer whose pointee strace can decode. */
export type ArgSpec =
  | { readonly name: string; readonly kind: ScalarKind }
  /** A NUL-terminated user string (a path name). */
  | { readonly name: string; readonly kind: 'string' }
  /** A user buffer the kernel reads, whose byte count is argument `lenArg`. */
  | { readonly name: string; readonly kind: 'inbuf'; readonly lenArg: number }
  /** A user buffer the kernel fills; the call's result is how many bytes it wrote. */
  | { readonly name: string; readonly kind: 'outbuf'; readonly lenArg: number }
  /** A pointer to a structure the kernel reads; its layout comes from the ABI (kernel/arch). NULL allowed where `optional`. */
  | { readonly name: string; readonly kind: 'instruct'; readonly struct: StructName; readonly optional?: boolean }
  /** A pointer to a structure the kernel writes; NULL allowed where `optional`. */
  | { readonly name: string; readonly kind: 'outstruct'; readonly struct: StructName; readonly optional?: boolean }
  /** A NULL-terminated array of user string pointers (argv, envp). */
  | { readonly name: string; readonly kind: 'strarray' };

/** The structures syscalls exchange with user space; sizes and layouts are per ABI. */
export type StructName =
  | 'stat'
  | 'timeval'
  | 'timezone'
  | 'timespec'
  | 'utsname'
  | 'rusage'
  | 'int' // one int (waitpid's status)
  | 'fdpair' // pipe's int[2]
  | 'time' // one time_t
  | 'termios' // terminal attributes (ioctl TCGETS/TCSETS)
  | 'sigaction' // the kernel's struct sigaction (rt_sigaction)
  | 'sigset' // a 64-bit signal mask
  | 'procinfo'; // the teaching call's process record

/** How strace prints the result. */
export type ReturnKind = 'int' | 'hex' | 'noreturn';

/** The six categories of system calls, for the documentation table. */
export type Category = 'process' | 'file' | 'device' | 'information' | 'communication' | 'memory';

/** One system call, independent of how it is implemented. */
export interface SyscallSpec {
  /** The name without prefix, as in Linux's syscall table (`exit_group`). */
  readonly name: string;
  /** Linux's i386 number, or a number from TEACHING_BASE up for calls Linux does not have. */
  readonly i386: number;
  /** Linux's x86_64 number, or null where x86_64 has no such call. */
  readonly x86_64: number | null;
  readonly args: readonly ArgSpec[];
  readonly returns?: ReturnKind;
  /** The libc wrapper's name where it differs from the call's (exit's wrapper is _exit). */
  readonly wrapper?: string;
  readonly category: Category;
  /** One line for the documentation. */
  readonly summary: string;
}

/** First number of the calls this kit adds for teaching, above every Linux number. */
export const TEACHING_BASE = 1000;

/** The wrapper name libc exports for `spec`. */
export function wrapperName(spec: SyscallSpec): string {
  return spec.wrapper ?? spec.name;
}

// Shorthands so table rows read like C prototypes.
/** A file descriptor argument. */
export const fd = (name = 'fd'): ArgSpec => ({ name, kind: 'fd' });
/** A signed C int argument. */
export const int = (name: string): ArgSpec => ({ name, kind: 'int' });
/** An unsigned or size_t argument. */
export const uint = (name: string): ArgSpec => ({ name, kind: 'uint' });
/** A scalar argument of a given kind. */
export const scalar = (name: string, kind: ScalarKind): ArgSpec => ({ name, kind });
/** A NUL-terminated path name in user memory. */
export const path = (name = 'pathname'): ArgSpec => ({ name, kind: 'string' });
/** A user buffer the kernel reads; its length is argument `lenArg`. */
export const inBuf = (name: string, lenArg: number): ArgSpec => ({ name, kind: 'inbuf', lenArg });
/** A user buffer the kernel fills; its capacity is argument `lenArg`. */
export const outBuf = (name: string, lenArg: number): ArgSpec => ({ name, kind: 'outbuf', lenArg });
/** A pointer to a structure the kernel reads (NULL allowed when `optional`: nothing to change). */
export const inStruct = (name: string, struct: StructName, optional = false): ArgSpec => ({ name, kind: 'instruct', struct, optional });
/** A pointer to a structure the kernel writes (NULL allowed when `optional`). */
export const outStruct = (name: string, struct: StructName, optional = false): ArgSpec => ({ name, kind: 'outstruct', struct, optional });
/** A NULL-terminated array of user string pointers. */
export const strArray = (name: string): ArgSpec => ({ name, kind: 'strarray' });
