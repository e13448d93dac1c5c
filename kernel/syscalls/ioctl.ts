// ioctl(fd, request, argp): terminal control on the console. Requests: TCGETS (isatty) and
// TCSETS/TCSETSW/TCSETSF (canonical or raw input, echo, signals), TIOCGPGRP/TIOCSPGRP (the
// foreground process group, which Ctrl-C signals), TIOCGWINSZ.
import { E } from '../errno.ts';
import { decodeInt32, encodeInt32 } from './abi.ts';
import type { SyscallHandler } from './dispatch.ts';
import { fileOf } from './helpers.ts';

/** Request numbers (asm-generic/ioctls.h). */
export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
/** TCSETS after output drains: output never waits here, so the same. */
export const TCSETSW = 0x5403;
/** TCSETS after output drains, discarding pending input. */
export const TCSETSF = 0x5404;
export const TIOCGPGRP = 0x540f;
export const TIOCSPGRP = 0x5410;
export const TIOCGWINSZ = 0x5413;

/** 0, or -EBADF, -ENOTTY (not a terminal, or a request the console does not know), -EFAULT, -EINVAL, -ESRCH. */
export const sysIoctl: SyscallHandler = (k, p, [fd, request, argp]) => {
  const file = fileOf(p, fd!);
  if (!file) return -E.EBADF;
  if (!file.ops.tty) return -E.ENOTTY;
  switch (request) {
    case TCGETS:
      return k.copyOut(p, argp!, k.abi.encodeTermios(k.console.discipline.termios));
    case TCSETS:
    case TCSETSW:
    case TCSETSF: {
      const raw = k.copyIn(p, argp!, k.abi.structSize('termios'));
      if (typeof raw === 'number') return raw;
      k.console.discipline.setTermios(k.abi.decodeTermios(raw), request === TCSETSF);
      return 0;
    }
    case TIOCGPGRP:
      return k.copyOut(p, argp!, encodeInt32(k.console.foregroundGroup));
    case TIOCSPGRP: {
      const raw = k.copyIn(p, argp!, 4);
      if (typeof raw === 'number') return raw;
      const pgrp = decodeInt32(raw);
      if (pgrp < 0) return -E.EINVAL;
      if (![...k.processes.values()].some((q) => q.pgid === pgrp && q.state !== 'zombie')) return -E.ESRCH;
      k.console.foregroundGroup = pgrp;
      return 0;
    }
    case TIOCGWINSZ: {
      const size = new Uint8Array(8);
      new DataView(size.buffer).setUint16(0, 25, true); // ws_row
      new DataView(size.buffer).setUint16(2, 80, true); // ws_col; pixel sizes stay 0
      return k.copyOut(p, argp!, size);
    }
    default:
      return -E.ENOTTY;
  }
};
