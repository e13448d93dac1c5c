// The initramfs format: a cpio archive in the "newc" format (magic 070701), as Linux's
// initramfs uses. Each member is a 110-byte header of ASCII hex fields, the NUL-terminated
// name padded to 4 bytes, then the data padded to 4 bytes; "TRAILER!!!" ends the archive.

/** One member of an archive. */
export interface CpioEntry {
  /** Path without a leading slash ("bin/sh"). */
  readonly name: string;
  /** File type and permission bits (S_IFREG | 0o755...). */
  readonly mode: number;
  readonly data: Uint8Array;
  /** Modification time, seconds since the Epoch. */
  readonly mtime: number;
}

/** A malformed archive, with the offset where it goes wrong. */
export class CpioFormatError extends Error {
  override readonly name = 'CpioFormatError';
}

export const NEWC_MAGIC = '070701';
export const TRAILER = 'TRAILER!!!';
/** Size of a member header. */
export const HEADER_BYTES = 110;
/** The header's hex fields, in order after the magic. */
export const FIELDS = ['ino', 'mode', 'uid', 'gid', 'nlink', 'mtime', 'filesize', 'devmajor', 'devminor', 'rdevmajor', 'rdevminor', 'namesize', 'check'] as const;

/** `n` rounded up to the archive's 4-byte alignment. */
export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** Reads every member of a newc archive up to the trailer; throws CpioFormatError on malformed input. */
export function unpackCpio(archive: Uint8Array): CpioEntry[] {
  const entries: CpioEntry[] = [];
  const decoder = new TextDecoder('latin1');
  let at = 0;
  for (;;) {
    if (at + HEADER_BYTES > archive.length) throw new CpioFormatError(`truncated cpio header at offset ${at} (archive is ${archive.length} bytes; no ${TRAILER})`);
    const header = decoder.decode(archive.subarray(at, at + HEADER_BYTES));
    if (!header.startsWith(NEWC_MAGIC)) {
      throw new CpioFormatError(`bad cpio magic "${header.slice(0, 6)}" at offset ${at} (expected ${NEWC_MAGIC}, the newc format)`);
    }
    const field = (i: number): number => {
      const text = header.slice(6 + i * 8, 14 + i * 8);
      if (!/^[0-9A-Fa-f]{8}$/.test(text)) throw new CpioFormatError(`bad cpio ${FIELDS[i]} field "${text}" at offset ${at + 6 + i * 8}`);
      return parseInt(text, 16);
    };
    const values = FIELDS.map((_, i) => field(i));
    const mode = values[1]!;
    const mtime = values[5]!;
    const size = values[6]!;
    const nameSize = values[11]!;
    if (nameSize === 0) throw new CpioFormatError(`cpio member at offset ${at} has an empty name`);
    const nameAt = at + HEADER_BYTES;
    const dataAt = align4(nameAt + nameSize);
    if (nameAt + nameSize > archive.length) throw new CpioFormatError(`cpio name at offset ${nameAt} runs past the end of the archive`);
    if (archive[nameAt + nameSize - 1] !== 0) throw new CpioFormatError(`cpio name at offset ${nameAt} is not NUL-terminated`);
    const name = decoder.decode(archive.subarray(nameAt, nameAt + nameSize - 1));
    if (name === TRAILER) return entries;
    if (dataAt + size > archive.length) throw new CpioFormatError(`cpio data of "${name}" (${size} bytes at offset ${dataAt}) runs past the end of the archive`);
    entries.push({ name, mode, mtime, data: archive.slice(dataAt, dataAt + size) });
    at = align4(dataAt + size);
  }
}

