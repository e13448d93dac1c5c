// The i386 user ABI's structure layouts, as Linux's asm/stat.h, linux/time.h, linux/utsname.h,
// linux/dirent.h and asm-generic/termbits.h define them for 32-bit x86 (longs and pointers are
// 4 bytes, little-endian).
import { EM_386 } from '../../../machine/formats/elf-constants.ts';
import type { SigAction } from '../../proc/sigaction.ts';
import type { StatInfo, UserAbi, UtsName } from '../../syscalls/abi.ts';
import { PROCINFO } from '../../syscalls/kit_ps.ts';
import type { StructName } from '../../syscalls/spec.ts';
import { NCCS, type Termios } from '../../tty/termios.ts';

const SIZES: Record<StructName, number> = {
  stat: 64, // struct stat (the old stat/fstat calls 106/108)
  timeval: 8, // { long tv_sec; long tv_usec; }
  timezone: 8, // { int tz_minuteswest; int tz_dsttime; }
  timespec: 8, // { long tv_sec; long tv_nsec; }
  utsname: 390, // struct new_utsname: six char[65]
  rusage: 72, // two timevals and fourteen longs
  int: 4,
  fdpair: 8,
  time: 4, // time_t is a long
  procinfo: PROCINFO.size, // struct kit_procinfo, the same in every ABI
  termios: 36, // the kernel's struct termios
  sigaction: 20, // { sa_handler, sa_flags, sa_restorer; sigset_t sa_mask (8 bytes) }
  sigset: 8,
};

const UTS_FIELD = 65;
const UTS_KEYS = ['sysname', 'nodename', 'release', 'version', 'machine', 'domainname'] as const;

function buffer(size: number): [Uint8Array, DataView] {
  const bytes = new Uint8Array(size);
  return [bytes, new DataView(bytes.buffer)];
}

function putString(bytes: Uint8Array, at: number, text: string, max: number): void {
  for (let i = 0; i < Math.min(text.length, max - 1); i++) bytes[at + i] = text.charCodeAt(i) & 0xff;
}

function getString(bytes: Uint8Array, at: number, max: number): string {
  let s = '';
  for (let i = 0; i < max && bytes[at + i]; i++) s += String.fromCharCode(bytes[at + i]!);
  return s;
}

/** Linux i386 layouts. */
export const i386Abi: UserAbi = {
  name: 'i386',
  wordBytes: 4,
  elfMachine: EM_386,
  machine: 'i686',
  structSize: (name) => SIZES[name],

  encodeStat(st: StatInfo): Uint8Array {
    const [bytes, v] = buffer(64);
    v.setUint32(0, st.dev, true); // st_dev
    v.setUint32(4, st.ino, true); // st_ino
    v.setUint16(8, st.mode, true); // st_mode
    v.setUint16(10, st.nlink, true); // st_nlink
    v.setUint16(12, st.uid, true); // st_uid
    v.setUint16(14, st.gid, true); // st_gid
    v.setUint32(16, st.rdev, true); // st_rdev
    v.setUint32(20, st.size, true); // st_size
    v.setUint32(24, st.blksize, true); // st_blksize
    v.setUint32(28, st.blocks, true); // st_blocks (512-byte units)
    v.setUint32(32, st.atime, true); // st_atime, then st_atime_nsec at 36
    v.setUint32(40, st.mtime, true); // st_mtime, then st_mtime_nsec at 44
    v.setUint32(48, st.ctime, true); // st_ctime, then st_ctime_nsec at 52; 56-63 unused
    return bytes;
  },

  decodeStat(bytes: Uint8Array): StatInfo {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return {
      dev: v.getUint32(0, true), ino: v.getUint32(4, true), mode: v.getUint16(8, true), nlink: v.getUint16(10, true),
      uid: v.getUint16(12, true), gid: v.getUint16(14, true), rdev: v.getUint32(16, true), size: v.getUint32(20, true),
      blksize: v.getUint32(24, true), blocks: v.getUint32(28, true), atime: v.getUint32(32, true),
      mtime: v.getUint32(40, true), ctime: v.getUint32(48, true),
    };
  },

  encodeTimePair(seconds: number, fraction: number): Uint8Array {
    const [bytes, v] = buffer(8);
    v.setInt32(0, seconds, true);
    v.setInt32(4, fraction, true);
    return bytes;
  },

  decodeTimePair(bytes: Uint8Array): { seconds: number; fraction: number } {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { seconds: v.getInt32(0, true), fraction: v.getInt32(4, true) };
  },

  encodeLong(value: number): Uint8Array {
    const [bytes, v] = buffer(4);
    v.setUint32(0, value >>> 0, true);
    return bytes;
  },

  decodeLong(bytes: Uint8Array): number {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getInt32(0, true);
  },

  decodePointer(bytes: Uint8Array): number {
    return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  },

  encodeUtsname(u: UtsName): Uint8Array {
    const bytes = new Uint8Array(SIZES.utsname);
    UTS_KEYS.forEach((key, i) => putString(bytes, i * UTS_FIELD, u[key], UTS_FIELD));
    return bytes;
  },

  decodeUtsname(bytes: Uint8Array): UtsName {
    const get = (i: number): string => getString(bytes, i * UTS_FIELD, UTS_FIELD);
    return { sysname: get(0), nodename: get(1), release: get(2), version: get(3), machine: get(4), domainname: get(5) };
  },

  encodeDirent(ino: number, nextOffset: number, type: number, name: string): Uint8Array {
    // d_ino, d_off (4 each), d_reclen (2), the name and its NUL, padding, d_type in the last byte.
    const reclen = (10 + name.length + 2 + 3) & ~3;
    const [bytes, v] = buffer(reclen);
    v.setUint32(0, ino, true);
    v.setUint32(4, nextOffset, true);
    v.setUint16(8, reclen, true);
    putString(bytes, 10, name, name.length + 1);
    bytes[reclen - 1] = type;
    return bytes;
  },

  encodeSigaction(a: SigAction): Uint8Array {
    const [bytes, v] = buffer(SIZES.sigaction);
    v.setUint32(0, a.handler, true);
    v.setUint32(4, a.flags, true);
    v.setUint32(8, a.restorer, true);
    v.setBigUint64(12, a.mask, true);
    return bytes;
  },

  decodeSigaction(bytes: Uint8Array): SigAction {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { handler: v.getUint32(0, true), flags: v.getUint32(4, true), restorer: v.getUint32(8, true), mask: v.getBigUint64(12, true) };
  },

  encodeTermios(t: Termios): Uint8Array {
    // Kernel struct termios: c_iflag, c_oflag, c_cflag, c_lflag (tcflag_t, 4 bytes each), c_line, c_cc[19].
    const [bytes, v] = buffer(SIZES.termios);
    v.setUint32(0, t.iflag, true);
    v.setUint32(4, t.oflag, true);
    v.setUint32(8, t.cflag, true);
    v.setUint32(12, t.lflag, true);
    bytes[16] = t.line;
    for (let i = 0; i < NCCS; i++) bytes[17 + i] = t.cc[i] ?? 0;
    return bytes;
  },

  decodeTermios(bytes: Uint8Array): Termios {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return {
      iflag: v.getUint32(0, true), oflag: v.getUint32(4, true), cflag: v.getUint32(8, true), lflag: v.getUint32(12, true),
      line: bytes[16]!, cc: Array.from(bytes.subarray(17, 17 + NCCS)),
    };
  },
};
