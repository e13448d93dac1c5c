// The one error the ELF reader throws: its message says what is wrong and where, ready to be
// shown to a person after the file's name (callers turn it into a diagnostic).

/** Malformed or unsupported ELF input; `message` is a complete sentence fragment without the file name. */
export class ElfFormatError extends Error {
  override readonly name = 'ElfFormatError';
}

/** Hexadecimal form used in every message about offsets and addresses. */
export function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}
