// What differs between user ABIs (i386, x86_64) beyond the syscall numbers: the sizes and
// layouts of the structures syscalls exchange. The architecture provides one (kernel/arch/*).
import type { SigAction } from '../proc/sigaction.ts';
import type { Termios } from '../tty/termios.ts';
import type { StructName } from './spec.ts';

/** File status as the kernel knows it, before an ABI lays it out. */
export interface StatInfo {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  atime: number;
  mtime: number;
  ctime: number;
}

/** One process for the teaching call kit_ps. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** 'R' running or runnable, 'S' sleeping, 'T' stopped, 'Z' zombie. */
  state: string;
  name: string;
}

/** The six fields of struct utsname. */
export interface UtsName {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
  domainname: string;
}

/** Structure layouts of one user ABI. */
export interface UserAbi {
  /** "i386" or "x86_64": which number column of the syscall table applies. */
  readonly name: 'i386' | 'x86_64';
  /** Bytes in a long and a pointer. */
  readonly wordBytes: 4 | 8;
  /** ELF e_machine of programs for this ABI. */
  readonly elfMachine: number;
  /** uname's machine field. */
  readonly machine: string;
  /** Size of a structure in this ABI. */
  structSize(name: StructName): number;
  encodeStat(st: StatInfo): Uint8Array;
  decodeStat(bytes: Uint8Array): StatInfo;
  /** struct timeval or struct timespec: seconds and the sub-second field. */
  encodeTimePair(seconds: number, fraction: number): Uint8Array;
  decodeTimePair(bytes: Uint8Array): { seconds: number; fraction: number };
  /** A C long (time_t): signed, wordBytes wide. */
  encodeLong(value: number): Uint8Array;
  decodeLong(bytes: Uint8Array): number;
  /** A user pointer (argv entries): unsigned, wordBytes wide. */
  decodePointer(bytes: Uint8Array): number;
  encodeUtsname(u: UtsName): Uint8Array;
  decodeUtsname(bytes: Uint8Array): UtsName;
  /** One getdents record (struct linux_dirent, d_type in its last byte). */
  encodeDirent(ino: number, nextOffset: number, type: number, name: string): Uint8Array;
  /** The kernel's struct sigaction: handler, flags, restorer, 64-bit mask. */
  encodeSigaction(a: SigAction): Uint8Array;
  decodeSigaction(bytes: Uint8Array): SigAction;
  /** struct termios for TCGETS / from TCSETS. */
  encodeTermios(t: Termios): Uint8Array;
  decodeTermios(bytes: Uint8Array): Termios;
}

/** A C int (wait status, pipe descriptors, pid_t): 4 bytes little-endian in every x86 ABI. */
export function encodeInt32(value: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setInt32(0, value | 0, true);
  return bytes;
}

/** The C int in the first 4 bytes of `bytes`. */
export function decodeInt32(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(0, true);
}
