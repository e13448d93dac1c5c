// What each program's screen snapshot shows: the lines typed at the shell prompt of a freshly
// booted machine after the screen was cleared (by process 2, so the first program is process 3). One entry per snapshot file in snapshots/; every program in /bin is
// shown by at least one entry (programs.test.ts checks that, so a new program needs one).

/** One screen: what is typed, and what makes it differ between mechanisms, if anything. */
export interface ScreenSpec {
  /** The snapshot file's name: snapshots/NAME.txt, or NAME.MECHANISM.txt for exact figures. */
  readonly name: string;
  /** The programs of /bin this screen shows. */
  readonly programs: readonly string[];
  /** Typed at the prompt one at a time, each run until the shell prompts again. */
  readonly lines: readonly string[];
  /** Figures on the screen that depend on the mechanism, when there are any. */
  readonly figures?: Figures;
}

/**
 * Figures that differ between mechanisms, and how the screen is compared because of them. In
 * both cases the screens of all mechanisms must agree once the digits of the text are masked
 * and the mechanism's name is shown as '*' (screenLayout).
 */
export interface Figures {
  /**
   * 'masked': incidental figures, kept out of the snapshot: one file for every mechanism, with
   * the digits of the text shown as '#'. 'exact': the figures (or the mechanism's name) are what
   * the program shows: one exact file per mechanism.
   */
  readonly kind: 'masked' | 'exact';
  /** Why they depend on the mechanism. */
  readonly why: string;
}

/** The screens of every program but usertests, in the order one machine runs them. */
export const PROGRAM_SCREENS: readonly ScreenSpec[] = [
  { name: 'sh-help', programs: ['sh'], lines: ['help'] },
  {
    name: 'sh-builtins',
    programs: ['sh'],
    lines: ['pwd', 'cd /bin; pwd', 'cd /nope; echo $?', 'cd; pwd', 'sh -c "exit 3"; echo $?', 'sh -c "exit x"; echo $?', 'sleep 1 & wait; echo waited', 'sh -x; echo $?'],
  },
  {
    name: 'sh-syntax',
    programs: ['sh'],
    lines: [
      `echo 'single  $?' "double  $?" \\$HOME $HOME # a comment`,
      'true && echo and; false || echo or; false && echo never',
      'echo one two three | wc -w',
      'echo first > /tmp/out; echo second >> /tmp/out; wc -l < /tmp/out',
      'nosuchprogram; echo $?',
      'echo $$ $NOSUCHVAR.',
    ],
  },
  { name: 'hello', programs: ['hello'], lines: ['hello', 'hello extra; echo $?'] },
  { name: 'echo', programs: ['echo'], lines: ['echo one two three', 'echo', 'echo "  spaced  "   out'] },
  {
    name: 'cat',
    programs: ['cat'],
    lines: ['echo line one > /tmp/f; echo line two >> /tmp/f', 'cat /tmp/f', 'cat /tmp/f - /tmp/f < /tmp/f', 'echo piped | cat', 'cat /nope; echo $?', 'cat -x; echo $?'],
  },
  {
    name: 'wc',
    programs: ['wc'],
    lines: ["printf 'a\\nbb cc\\nddd\\n' > /tmp/w", 'wc /tmp/w', 'wc -l /tmp/w', 'wc -w /tmp/w /tmp/w', 'echo one two | wc -c', 'wc /nope; echo $?', 'wc -x; echo $?'],
  },
  { name: 'ls', programs: ['ls'], lines: ['ls', 'ls -a /', 'ls /dev /tmp', 'ls -1 /tmp/nope; echo $?', 'ls -x; echo $?'] },
  { name: 'ps', programs: ['ps'], lines: ['ps', 'sleep 2 &', 'ps', 'wait', 'ps x; echo $?'] },
  {
    name: 'kill',
    programs: ['kill'],
    lines: ['sleep 10 &', 'kill 3', 'sleep 10 &', 'kill -KILL 5', 'kill 3; echo $?', 'kill -NOPE 1; echo $?', 'kill -l | wc -l', 'kill; echo $?'],
  },
  { name: 'sleep', programs: ['sleep'], lines: ['sleep 1; echo slept', 'sleep 0; echo $?', 'sleep x; echo $?', 'sleep; echo $?'] },
  { name: 'true-false', programs: ['true', 'false'], lines: ['true; echo $?', 'false; echo $?', 'true extra; echo $?'] },
  {
    name: 'printf',
    programs: ['printf'],
    lines: [
      "printf '%d|%5s|%-5s|%x %X %o %c %%\\n' 42 ab cd 255 255 8 xyz",
      "printf '%s-' one two three; echo",
      "printf '%i %u\\n' 0x10 -1",
      "printf '%d\\n' abc; echo $?",
      'printf; echo $?',
    ],
  },
  { name: 'errno', programs: ['errno'], lines: ['errno; echo $?', 'errno x; echo $?'] },
  { name: 'faults', programs: ['faults'], lines: ['faults', 'faults bogus; echo $?'] },
  { name: 'forkdemo', programs: ['forkdemo'], lines: ['forkdemo', 'forkdemo x; echo $?'] },
  {
    name: 'clock',
    programs: ['clock'],
    lines: ['clock', 'clock x; echo $?'],
    figures: { kind: 'masked', why: 'virtual time advances with the instructions executed since reset, and each mechanism executes its own number of them' },
  },
  {
    name: 'mechbench',
    programs: ['mechbench'],
    lines: ['mechbench', 'mechbench 0; echo $?'],
    figures: { kind: 'exact', why: 'it counts the cycles (the virtual TSC) of a call through each way into the kernel, and the libc wrapper is the mechanism\'s own' },
  },
  { name: 'fuzz', programs: ['fuzz'], lines: ['fuzz 7 300 2', 'fuzz x; echo $?'] },
  {
    name: 'strace',
    programs: ['strace'],
    lines: ['strace cat /nope', 'strace -c true', 'strace; echo $?'],
    figures: { kind: 'exact', why: 'each traced call ends with the mechanism it entered the kernel through, and -c shows the virtual time calls took' },
  },
];

/** The whole usertests battery and its usage line. */
export const USERTESTS_SCREENS: readonly ScreenSpec[] = [
  { name: 'usertests', programs: ['usertests'], lines: ['usertests'] },
  { name: 'usertests-some', programs: ['usertests'], lines: ['usertests pipe signals', 'usertests nosuch; echo $?'] },
];
