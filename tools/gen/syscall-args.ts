// The typed arguments of every call, as a NASM include for guest programs that choose arguments
// by kind: the fuzzer (userland/bin/fuzz.asm) and the bad-pointer tests. New rows of the table
// reach both through this file, with no edit on the guest side.
import { i386Abi } from '../../kernel/arch/i386/abi.ts';
import { TCGETS } from '../../kernel/syscalls/ioctl.ts';
import type { ArgSpec, StructName, SyscallSpec } from '../../kernel/syscalls/spec.ts';

/** Kind codes: scalars below 0x10, pointers from 0x10 (the kernel writes through those from 0x14). */
const KIND_CODES: Record<ArgSpec['kind'], number> = {
  fd: 1, int: 2, uint: 3, pid: 4, signal: 5, openflags: 6, mode: 7, whence: 8, waitoptions: 9, clockid: 10, ioctlcmd: 11, ptr: 12, raw: 13,
  string: 0x10, strarray: 0x11, inbuf: 0x12, instruct: 0x13, outbuf: 0x14, outstruct: 0x15,
};

/** The bits of a kind code that name the kind; flag bits lie above. */
const KIND_MASK = 0xff;
/** Flag bits added to a kind code. */
const NULL_OK = 0x100;
const WRITTEN_RARELY = 0x200;

/** What a descriptor argument must refer to for the call to reach its other arguments. */
const FD_NEEDS: Record<string, 'directory' | 'terminal'> = { getdents: 'directory', ioctl: 'terminal' };
const FD_DETAIL = { file: 0, directory: 1, terminal: 2 } as const;

/** Output pointers the kernel writes only in circumstances a simple call does not create (call.arg: why). */
export const WRITTEN_ONLY_SOMETIMES: Readonly<Record<string, string>> = {
  'nanosleep.rem': 'written only when the sleep is interrupted, as on Linux',
};

/**
 * Pointers the table types as plain numbers because their type depends on another argument:
 * described here as what they are for the request the include names in that argument's detail.
 */
const REQUEST_TYPED: Record<string, { readonly arg: string; readonly request: number; readonly struct: StructName }> = {
  ioctl: { arg: 'argp', request: TCGETS, struct: 'termios' },
};

/** uint arguments that must equal a structure's size. */
const SIZE_OF: Record<string, StructName> = { sigsetsize: 'sigset' };

/** Pointer arguments where NULL is a legal value: optional structures, and argv/envp (an empty array). */
function nullAllowed(a: ArgSpec): boolean {
  return a.kind === 'strarray' || ((a.kind === 'outstruct' || a.kind === 'instruct') && a.optional === true);
}

/** The kind code (with flags) and detail of argument `a` of call `s`. */
function describe(s: SyscallSpec, a: ArgSpec): [number, number] {
  const key = `${s.name}.${a.name}`;
  const typed = REQUEST_TYPED[s.name];
  if (typed?.arg === a.name) return [KIND_CODES.outstruct, i386Abi.structSize(typed.struct)];
  const flags = (nullAllowed(a) ? NULL_OK : 0) | (WRITTEN_ONLY_SOMETIMES[key] ? WRITTEN_RARELY : 0);
  const code = KIND_CODES[a.kind] | flags;
  switch (a.kind) {
    case 'fd': return [code, FD_DETAIL[FD_NEEDS[s.name] ?? 'file']];
    case 'uint': return [code, SIZE_OF[a.name] ? i386Abi.structSize(SIZE_OF[a.name]!) : 0];
    case 'inbuf': case 'outbuf': return [code, a.lenArg];
    case 'instruct': case 'outstruct': return [code, i386Abi.structSize(a.struct)];
    case 'ioctlcmd': return [code, typed?.request ?? 0];
    default: return [code, 0];
  }
}

/** One user-pointer argument as the include describes it. */
export interface PointerArg {
  readonly call: string;
  /** 0-based position. */
  readonly index: number;
  /** Whether the kernel writes through it. */
  readonly written: boolean;
  readonly nullAllowed: boolean;
  readonly writtenRarely: boolean;
}

/** Every argument the include describes as a user pointer, in table order. */
export function pointerArgs(calls: readonly SyscallSpec[]): PointerArg[] {
  return calls.flatMap((s) => s.args.flatMap((a, index) => {
    const [code] = describe(s, a);
    const kind = code & KIND_MASK;
    if (kind < KIND_CODES.string) return [];
    return [{ call: s.name, index, written: kind >= KIND_CODES.outbuf, nullAllowed: (code & NULL_OK) !== 0, writtenRarely: (code & WRITTEN_RARELY) !== 0 }];
  }));
}

/** The text of userland/include/syscall-args.inc; `header` is the generated-file line. */
export function syscallArgsInc(header: string, calls: readonly SyscallSpec[]): string {
  const lines = [
    `; ${header}`,
    ';',
    '; The typed arguments of every call (i386 layouts), for programs that choose arguments by kind.',
    '; SYSCALL_ARGS_LIST M  expands macro M (14 parameters) once per call, as',
    ';   M name, i386 number, argument count, then kind and detail for argument positions 1..6',
    '; (ARG_NONE, 0 past the last argument). A kind is one ARG_* code plus flag bits:',
    ';   ARG_NULL_OK          NULL is a legal value (an optional structure; argv/envp, an empty array)',
    ';   ARG_WRITTEN_RARELY   an output the call writes only in circumstances a simple call does not',
    ';                        create (nanosleep\'s rem: only when the sleep is interrupted)',
    '; ARG_KIND_MASK keeps the code. Codes from ARG_POINTER up are user pointers; from ARG_OUTBUF up',
    '; the kernel writes through them. The detail is:',
    ';   fd                   what it must be for the call to go on: FD_FILE, FD_DIRECTORY, FD_TERMINAL',
    ';   uint                 the value it must have (a structure size, as sigsetsize), or 0 for any',
    ';   inbuf, outbuf        the position (0-based) of the argument holding its length',
    ';   instruct, outstruct  the structure\'s size in bytes',
    ';   ioctlcmd             the request the include describes argp for (ioctl\'s argp is typed by',
    ';                        its request; here it is TCGETS\'s struct termios output)',
    '; SYSCALL_ARGS_TABLE L  lays the list out as data from label L to L_end (section .data, which',
    ';                       it leaves current), SA_ROW bytes per call: at SA_NAME a pointer to the',
    ';                       call\'s name (a string in .rodata), SA_NR, SA_NARGS, then at SA_ARGS',
    ';                       8 bytes per position: kind, detail.',
    '',
    '%ifndef SYSCALL_ARGS_INC',
    '%define SYSCALL_ARGS_INC',
    '',
    '%define ARG_NONE 0',
    ...Object.entries(KIND_CODES).map(([kind, code]) => `%define ARG_${kind.toUpperCase()} ${code}`),
    `%define ARG_POINTER ${KIND_CODES.string}`,
    `%define ARG_KIND_MASK ${hex(KIND_MASK)}`,
    `%define ARG_NULL_OK ${hex(NULL_OK)}`,
    `%define ARG_WRITTEN_RARELY ${hex(WRITTEN_RARELY)}`,
    ...Object.entries(FD_DETAIL).map(([what, value]) => `%define FD_${what.toUpperCase()} ${value}`),
    '',
    '%macro SYSCALL_ARGS_LIST 1',
  ];
  for (const s of calls) {
    const pairs = Array.from({ length: 6 }, (_, i) => (s.args[i] ? describe(s, s.args[i]!) : [0, 0]));
    lines.push(`  %1 ${s.name}, ${s.i386}, ${s.args.length}, ${pairs.map(([k, d]) => `${hex(k!)}, ${d}`).join(', ')}`);
  }
  lines.push(
    '%endmacro',
    '',
    '%define SA_NAME 0',
    '%define SA_NR 4',
    '%define SA_NARGS 8',
    '%define SA_ARGS 12',
    '%define SA_ROW 60',
    '%macro __SA_ROW 15',
    '  %defstr __SA_TEXT %1',
    'section .rodata',
    '%%name: db __SA_TEXT, 0',
    'section .data',
    '    dd %%name, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15',
    '%endmacro',
    '%macro SYSCALL_ARGS_TABLE 1',
    'section .data',
    '%1:',
    '  SYSCALL_ARGS_LIST __SA_ROW',
    '%1_end:',
    '%endmacro',
    '',
    '%endif',
    '',
  );
  return lines.join('\n');
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
