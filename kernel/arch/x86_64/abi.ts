// The x86_64 user ABI's structure layouts (LP64: longs and pointers are 8 bytes), as Linux's
// arch/x86/include/uapi/asm/stat.h, linux/time.h, linux/utsname.h and linux/dirent.h define them.
// Ready for the long-mode port: the syscall table's x86_64 numbers and these layouts are all the
// core needs to serve 64-bit programs.
import { EM_X86_64 } from '../../../machine/formats/elf-constants.ts';
import type { SigAction } from '../../proc/sigaction.ts';
import type { StatInfo, UserAbi, UtsName } from '../../syscalls/abi.ts';
import { PROCINFO } from '../../syscalls/kit_ps.ts';
import type { StructName } from '../../syscalls/spec.ts';
import { i386Abi } from '../i386/abi.ts';

const SIZES: Record<StructName, number> = {
  stat: 144, // struct stat
  timeval: 16, // { long tv_sec; long tv_usec; }
  timezone: 8, // { int tz_minuteswest; int tz_dsttime; }
  timespec: 16, // { long tv_sec; long tv_nsec; }
  utsname: 390, // six char[65], as on i386
  rusage: 144, // two timevals and fourteen longs
  int: 4,
  fdpair: 8,
  time: 8,
  procinfo: PROCINFO.size, // struct kit_procinfo, the same in every ABI
  termios: 36, // tcflag_t is 32-bit here too
  sigaction: 32, // { sa_handler, sa_flags, sa_restorer: 8 bytes each; sa_mask }
  sigset: 8,
};

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function setLong(v: DataView, at: number, value: number): void {
  v.setBigInt64(at, BigInt(Math.trunc(value)), true);
}

function getLong(v: DataView, at: number): number {
  return Number(v.getBigInt64(at, true));
}

/** Linux x86_64 layouts. */
export const x86_64Abi: UserAbi = {
  name: 'x86_64',
  wordBytes: 8,
  elfMachine: EM_X86_64,
  machine: 'x86_64',
  structSize: (name) => SIZES[name],

  encodeStat(st: StatInfo): Uint8Array {
    const bytes = new Uint8Array(144);
    const v = view(bytes);
    setLong(v, 0, st.dev); // st_dev
    setLong(v, 8, st.ino); // st_ino
    setLong(v, 16, st.nlink); // st_nlink (8 bytes here, before st_mode)
    v.setUint32(24, st.mode, true); // st_mode
    v.setUint32(28, st.uid, true); // st_uid
    v.setUint32(32, st.gid, true); // st_gid; 36 is padding
    setLong(v, 40, st.rdev); // st_rdev
    setLong(v, 48, st.size); // st_size
    setLong(v, 56, st.blksize); // st_blksize
    setLong(v, 64, st.blocks); // st_blocks
    setLong(v, 72, st.atime); // st_atime, st_atime_nsec at 80
    setLong(v, 88, st.mtime); // st_mtime, st_mtime_nsec at 96
    setLong(v, 104, st.ctime); // st_ctime, st_ctime_nsec at 112; 120-143 unused
    return bytes;
  },

  decodeStat(bytes: Uint8Array): StatInfo {
    const v = view(bytes);
    return {
      dev: getLong(v, 0), ino: getLong(v, 8), nlink: getLong(v, 16), mode: v.getUint32(24, true),
      uid: v.getUint32(28, true), gid: v.getUint32(32, true), rdev: getLong(v, 40), size: getLong(v, 48),
      blksize: getLong(v, 56), blocks: getLong(v, 64), atime: getLong(v, 72), mtime: getLong(v, 88), ctime: getLong(v, 104),
    };
  },

  encodeTimePair(seconds: number, fraction: number): Uint8Array {
    const bytes = new Uint8Array(16);
    setLong(view(bytes), 0, seconds);
    setLong(view(bytes), 8, fraction);
    return bytes;
  },

  decodeTimePair(bytes: Uint8Array): { seconds: number; fraction: number } {
    return { seconds: getLong(view(bytes), 0), fraction: getLong(view(bytes), 8) };
  },

  encodeLong(value: number): Uint8Array {
    const bytes = new Uint8Array(8);
    setLong(view(bytes), 0, value);
    return bytes;
  },

  decodeLong(bytes: Uint8Array): number {
    return getLong(view(bytes), 0);
  },

  decodePointer(bytes: Uint8Array): number {
    return Number(view(bytes).getBigUint64(0, true));
  },

  encodeUtsname: (u: UtsName) => i386Abi.encodeUtsname(u),
  decodeUtsname: (bytes: Uint8Array) => i386Abi.decodeUtsname(bytes),

  encodeDirent(ino: number, nextOffset: number, type: number, name: string): Uint8Array {
    // d_ino, d_off (8 each), d_reclen (2), the name and its NUL, padding to 8, d_type last.
    const reclen = (18 + name.length + 2 + 7) & ~7;
    const bytes = new Uint8Array(reclen);
    const v = view(bytes);
    setLong(v, 0, ino);
    setLong(v, 8, nextOffset);
    v.setUint16(16, reclen, true);
    for (let i = 0; i < name.length; i++) bytes[18 + i] = name.charCodeAt(i) & 0xff;
    bytes[reclen - 1] = type;
    return bytes;
  },

  encodeSigaction(a: SigAction): Uint8Array {
    const bytes = new Uint8Array(32);
    const v = view(bytes);
    v.setBigUint64(0, BigInt(a.handler), true);
    v.setBigUint64(8, BigInt(a.flags >>> 0), true);
    v.setBigUint64(16, BigInt(a.restorer), true);
    v.setBigUint64(24, a.mask, true);
    return bytes;
  },

  decodeSigaction(bytes: Uint8Array): SigAction {
    const v = view(bytes);
    return {
      handler: Number(v.getBigUint64(0, true)), flags: Number(v.getBigUint64(8, true) & 0xffffffffn),
      restorer: Number(v.getBigUint64(16, true)), mask: v.getBigUint64(24, true),
    };
  },

  // struct termios uses 32-bit tcflag_t on both ABIs.
  encodeTermios: (t) => i386Abi.encodeTermios(t),
  decodeTermios: (bytes) => i386Abi.decodeTermios(bytes),
};
