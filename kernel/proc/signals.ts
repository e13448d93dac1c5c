// Linux's signal numbers (i386 and x86_64 share them) and their default actions. This kernel
// has no user signal handlers yet, so every signal takes its default action.

/** Signal numbers by name. */
export const SIG = {
  SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8,
  SIGKILL: 9, SIGUSR1: 10, SIGSEGV: 11, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15,
  SIGSTKFLT: 16, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20, SIGTTIN: 21, SIGTTOU: 22,
  SIGURG: 23, SIGXCPU: 24, SIGXFSZ: 25, SIGVTALRM: 26, SIGPROF: 27, SIGWINCH: 28, SIGIO: 29,
  SIGPWR: 30, SIGSYS: 31,
} as const;

/** The highest signal number kill accepts (Linux's _NSIG - 1, real-time signals included). */
export const SIG_MAX = 64;

const NAMES = new Map<number, string>(Object.entries(SIG).map(([name, n]) => [n, name]));

/** "SIGINT" for 2; real-time signals as "SIGRT_n" the way strace prints them; else the number. */
export function signalName(sig: number): string {
  const name = NAMES.get(sig);
  if (name) return name;
  if (sig >= 32 && sig <= SIG_MAX) return `SIGRT_${sig - 32}`;
  return String(sig);
}

/** What a signal does when nothing handles it. */
export type DefaultAction = 'terminate' | 'ignore' | 'stop' | 'continue';

/** The default action of `sig` (signal(7)). Core-dumping signals terminate (no core files here). */
export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case SIG.SIGCHLD: case SIG.SIGURG: case SIG.SIGWINCH: return 'ignore';
    case SIG.SIGCONT: return 'continue';
    case SIG.SIGSTOP: case SIG.SIGTSTP: case SIG.SIGTTIN: case SIG.SIGTTOU: return 'stop';
    default: return 'terminate';
  }
}

/** The wait status of a normal exit with `code` (low 8 bits kept), as WEXITSTATUS reads it. */
export function exitedStatus(code: number): number {
  return (code & 0xff) << 8;
}

/** The wait status of death by `sig` (WIFSIGNALED, WTERMSIG), without a core dump. */
export function killedStatus(sig: number): number {
  return sig & 0x7f;
}

/** The wait status of a stop by `sig` (WIFSTOPPED, WSTOPSIG). */
export function stoppedStatus(sig: number): number {
  return ((sig & 0xff) << 8) | 0x7f;
}

/** The wait status of a continue (WIFCONTINUED). */
export function continuedStatus(): number {
  return 0xffff;
}

/** strace's rendering of a wait status: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]. */
export function describeWaitStatus(status: number): string {
  if (status === 0xffff) return '{WIFCONTINUED(s)}';
  if ((status & 0xff) === 0x7f) return `{WIFSTOPPED(s) && WSTOPSIG(s) == ${signalName((status >> 8) & 0xff)}}`;
  if ((status & 0x7f) === 0) return `{WIFEXITED(s) && WEXITSTATUS(s) == ${(status >> 8) & 0xff}}`;
  return `{WIFSIGNALED(s) && WTERMSIG(s) == ${signalName(status & 0x7f)}${status & 0x80 ? ' && WCOREDUMP(s)' : ''}}`;
}
