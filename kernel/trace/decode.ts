// How strace renders argument values: flag sets, enumerations, quoted strings.
import { describeWaitStatus, signalName } from '../proc/signals.ts';

/** Quotes bytes like strace: C escapes, octal for other non-printables, cut at `limit` with "..." after. */
export function quoteBytes(bytes: Uint8Array, limit: number, more = false): string {
  let out = '"';
  const n = Math.min(bytes.length, limit);
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    const next = i + 1 < n ? bytes[i + 1]! : -1;
    switch (c) {
      case 0x22: out += '\\"'; break;
      case 0x5c: out += '\\\\'; break;
      case 0x09: out += '\\t'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0b: out += '\\v'; break;
      case 0x0c: out += '\\f'; break;
      case 0x0d: out += '\\r'; break;
      default:
        if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
        // Octal as short as possible, unless a digit follows and would be read as part of it.
        else out += `\\${next >= 0x30 && next <= 0x37 ? c.toString(8).padStart(3, '0') : c.toString(8)}`;
    }
  }
  return `${out}"${more || bytes.length > limit ? '...' : ''}`;
}

/** An address as strace prints a pointer: NULL or 0x hex. */
export function pointer(value: number): string {
  return value === 0 ? 'NULL' : `0x${(value >>> 0).toString(16)}`;
}

const OPEN_FLAGS: [number, string][] = [
  [0o100, 'O_CREAT'], [0o200, 'O_EXCL'], [0o400, 'O_NOCTTY'], [0o1000, 'O_TRUNC'], [0o2000, 'O_APPEND'],
  [0o4000, 'O_NONBLOCK'], [0o200000, 'O_DIRECTORY'], [0o2000000, 'O_CLOEXEC'],
];

/** O_WRONLY|O_CREAT|O_TRUNC, with leftover bits in hex. */
export function openFlags(flags: number): string {
  const parts = [['O_RDONLY', 'O_WRONLY', 'O_RDWR', '0x3'][flags & 3]!];
  let rest = flags & ~3;
  for (const [bit, name] of OPEN_FLAGS) {
    if (rest & bit) {
      parts.push(name);
      rest &= ~bit;
    }
  }
  if (rest) parts.push(`0x${(rest >>> 0).toString(16)}`);
  return parts.join('|');
}

/** A mode in octal with a leading 0, as strace prints 0644. */
export function octalMode(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

const FILE_TYPES: Record<number, string> = { 0o040000: 'S_IFDIR', 0o100000: 'S_IFREG', 0o020000: 'S_IFCHR', 0o010000: 'S_IFIFO' };

/** st_mode as strace prints it: S_IFREG|0644. */
export function statMode(mode: number): string {
  const type = FILE_TYPES[mode & 0o170000] ?? `0${(mode & 0o170000).toString(8)}`;
  return `${type}|${octalMode(mode)}`;
}

/** SEEK_SET, SEEK_CUR, SEEK_END, or the number. */
export function whence(value: number): string {
  return ['SEEK_SET', 'SEEK_CUR', 'SEEK_END'][value] ?? String(value | 0);
}

/** 0, or WNOHANG|WUNTRACED... */
export function waitOptions(value: number): string {
  if (value === 0) return '0';
  const names: [number, string][] = [[1, 'WNOHANG'], [2, 'WUNTRACED'], [8, 'WCONTINUED']];
  const parts = names.filter(([bit]) => value & bit).map(([, name]) => name);
  const rest = value & ~11;
  if (rest) parts.push(`0x${(rest >>> 0).toString(16)}`);
  return parts.join('|');
}

const CLOCKS = ['CLOCK_REALTIME', 'CLOCK_MONOTONIC', 'CLOCK_PROCESS_CPUTIME_ID', 'CLOCK_THREAD_CPUTIME_ID', 'CLOCK_MONOTONIC_RAW', 'CLOCK_REALTIME_COARSE', 'CLOCK_MONOTONIC_COARSE', 'CLOCK_BOOTTIME'];

/** CLOCK_MONOTONIC for 1, or the number. */
export function clockName(id: number): string {
  return CLOCKS[id] ?? String(id | 0);
}

const IOCTLS: Record<number, string> = { 0x5401: 'TCGETS', 0x5402: 'TCSETS', 0x540f: 'TIOCGPGRP', 0x5410: 'TIOCSPGRP', 0x5413: 'TIOCGWINSZ' };

/** TCGETS for 0x5401, else hex. */
export function ioctlName(request: number): string {
  return IOCTLS[request] ?? `0x${(request >>> 0).toString(16)}`;
}

/** A signal argument: SIGTERM, or 0 / the number when it has no name. */
export function signalArg(sig: number): string {
  return sig === 0 ? '0' : signalName(sig | 0);
}

/** A wait status as strace prints it inside [...]. */
export function waitStatus(status: number): string {
  return `[${describeWaitStatus(status)}]`;
}
