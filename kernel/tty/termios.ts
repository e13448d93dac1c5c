// Terminal attributes (struct termios): the bits of Linux's asm-generic/termbits.h this console
// honours, and the console's defaults (what a Linux virtual console starts with).

/** c_iflag: map CR to NL on input. */
export const ICRNL = 0o400;
/** c_iflag: XON/XOFF flow control (reported, not acted on). */
export const IXON = 0o2000;
/** c_oflag: post-process output; with ONLCR, NL is sent as CR NL. */
export const OPOST = 0o1;
export const ONLCR = 0o4;
/** c_cflag: 38400 baud, 8 data bits, receiver on (reported only). */
export const CFLAG_DEFAULT = 0o17 | 0o60 | 0o200;
/** c_lflag bits. */
export const ISIG = 0o1;
export const ICANON = 0o2;
export const ECHO = 0o10;
export const ECHOE = 0o20;
export const ECHOK = 0o40;
export const ECHOCTL = 0o1000;
export const ECHOKE = 0o4000;
export const IEXTEN = 0o100000;

/** Indices in c_cc. */
export const VINTR = 0;
export const VQUIT = 1;
export const VERASE = 2;
export const VKILL = 3;
export const VEOF = 4;
export const VTIME = 5;
export const VMIN = 6;
export const VSUSP = 10;
/** Linux's NCCS for the kernel struct termios. */
export const NCCS = 19;

/** Terminal attributes. */
export interface Termios {
  iflag: number;
  oflag: number;
  cflag: number;
  lflag: number;
  /** c_line: the line discipline number (0, N_TTY). */
  line: number;
  cc: number[];
}

/** The attributes the console starts with (stty sane on a Linux console). */
export function defaultTermios(): Termios {
  return {
    iflag: ICRNL | IXON,
    oflag: OPOST | ONLCR,
    cflag: CFLAG_DEFAULT,
    lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    line: 0,
    // VINTR ^C, VQUIT ^\, VERASE DEL, VKILL ^U, VEOF ^D, VTIME 0, VMIN 1, VSWTC, VSTART ^Q,
    // VSTOP ^S, VSUSP ^Z, VEOL, VREPRINT ^R, VDISCARD ^O, VWERASE ^W, VLNEXT ^V, VEOL2
    cc: [0x03, 0x1c, 0x7f, 0x15, 0x04, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0, 0, 0],
  };
}
