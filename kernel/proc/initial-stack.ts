// The initial user stack of a new program, laid out as Linux's binfmt_elf does for the System V
// ABI: at the stack pointer argc, then argv[] and NULL, envp[] and NULL, the auxiliary vector
// ending in AT_NULL; above them (higher addresses) the 16 AT_RANDOM bytes, the platform string,
// the argument and environment strings, and the file name at the very top.

/** Auxiliary vector keys (elf.h / linux/auxvec.h). */
export const AT = {
  NULL: 0, PHDR: 3, PHENT: 4, PHNUM: 5, PAGESZ: 6, BASE: 7, FLAGS: 8, ENTRY: 9, UID: 11, EUID: 12,
  GID: 13, EGID: 14, PLATFORM: 15, HWCAP: 16, CLKTCK: 17, SECURE: 23, RANDOM: 25, EXECFN: 31,
  SYSINFO: 32, SYSINFO_EHDR: 33,
} as const;

/** What goes on the stack. */
export interface StackInput {
  /** Address one past the top of the stack mapping. */
  readonly top: number;
  readonly wordBytes: 4 | 8;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  readonly execfn: string;
  readonly platform: string;
  /** The 16 bytes AT_RANDOM points to. */
  readonly random: Uint8Array;
  /** Auxiliary entries before AT_RANDOM, AT_PLATFORM, AT_EXECFN and AT_NULL, which are added here. */
  readonly auxv: readonly (readonly [number, number])[];
}

/** The stack contents: `bytes` go at address `sp` (16-byte aligned), and the stack pointer starts at `sp`. */
export interface StackImage {
  readonly sp: number;
  readonly bytes: Uint8Array;
}

/** Lays out the initial stack; strings are Latin-1 bytes with their NUL. */
export function buildInitialStack(input: StackInput): StackImage {
  const { top, wordBytes: w } = input;
  const strings: { text: string; at: number }[] = [];
  let cursor = top - w; // a NULL word at the very top, like Linux's end marker
  const place = (text: string): number => {
    cursor -= text.length + 1;
    strings.push({ text, at: cursor });
    return cursor;
  };
  const execfnAt = place(input.execfn);
  const envAt = [...input.envp].reverse().map(place).reverse();
  const argAt = [...input.argv].reverse().map(place).reverse();
  const platformAt = place(input.platform);
  cursor -= 16;
  const randomAt = cursor;

  const auxv: (readonly [number, number])[] = [
    ...input.auxv, [AT.RANDOM, randomAt], [AT.PLATFORM, platformAt], [AT.EXECFN, execfnAt], [AT.NULL, 0],
  ];
  const words = [input.argv.length, ...argAt, 0, ...envAt, 0, ...auxv.flat()];
  const sp = Math.floor((cursor - words.length * w) / 16) * 16;

  const bytes = new Uint8Array(top - sp);
  const view = new DataView(bytes.buffer);
  words.forEach((value, i) => {
    if (w === 4) view.setUint32(i * 4, value >>> 0, true);
    else view.setBigUint64(i * 8, BigInt(value), true);
  });
  for (const s of strings) {
    for (let i = 0; i < s.text.length; i++) bytes[s.at - sp + i] = s.text.charCodeAt(i) & 0xff;
  }
  bytes.set(input.random, randomAt - sp);
  return { sp, bytes };
}
