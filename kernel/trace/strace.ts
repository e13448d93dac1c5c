// A kernel-side strace: decodes every call of the traced processes from the syscall table's
// argument types and prints lines the way strace does, e.g.
//   write(1, "hello\n", 6) = 6
//   open("/nope", O_RDONLY) = -1 ENOENT (No such file or directory)
// (with the `mechanism` option each line ends with the way the call entered the kernel, ` <int80>`)
// and keeps the counts for the `strace -c` summary table. Inputs (strings, buffers the kernel
// reads) are decoded at entry, before execve can replace memory; outputs at exit, when the whole
// line is printed at once.
import { errnoInfo, isErrorResult } from '../errno.ts';
import type { Kernel } from '../kernel.ts';
import type { Process } from '../proc/process.ts';
import { SI_CODE, siCodeName, type SigInfo } from '../proc/siginfo.ts';
import { SIG, signalName } from '../proc/signals.ts';
import { decodeInt32 } from '../syscalls/abi.ts';
import type { TraceHooks } from '../syscalls/dispatch.ts';
import { MECHANISMS, type Mechanism } from '../syscalls/mechanisms.ts';
import type { ArgSpec, StructName, SyscallSpec } from '../syscalls/spec.ts';
import { clockName, ioctlName, octalMode, openFlags, pointer, quoteBytes, signalArg, statMode, waitOptions, waitStatus, whence } from './decode.ts';
import { summaryTable, type CallStats } from './summary.ts';

/** strace's default -s: strings longer than this are cut and followed by "...". */
export const DEFAULT_STRSIZE = 32;
const O_CREAT = 0o100;

/** How a tracer behaves. */
export interface StraceOptions {
  /** Which processes to trace (default: all). */
  readonly filter?: (p: Process) => boolean;
  /** strace -s: how many bytes of a string to show. */
  readonly strsize?: number;
  /** false for strace -c: count only, print no per-call lines. */
  readonly lines?: boolean;
  /** End each call's line with the mechanism it entered the kernel through: ` <int80>`. */
  readonly mechanism?: boolean;
}

interface Entered {
  readonly rendered: (string | null)[];
  readonly startNs: number;
  readonly mechanism: Mechanism;
}

/** Traces the calls of the processes `filter` accepts; lines go to `out`, with the process they are about. */
export class Strace implements TraceHooks {
  private readonly entered = new Map<Process, Entered>();
  /** Per mechanism, per call name. */
  private readonly stats = new Map<Mechanism, Map<string, CallStats>>();

  private readonly filter: (p: Process) => boolean;
  private readonly strsize: number;
  private readonly lines: boolean;
  private readonly mechanism: boolean;

  constructor(
    private readonly k: Kernel,
    private readonly out: (line: string, p: Process) => void,
    options: StraceOptions = {},
  ) {
    this.filter = options.filter ?? (() => true);
    this.strsize = options.strsize ?? DEFAULT_STRSIZE;
    this.lines = options.lines ?? true;
    this.mechanism = options.mechanism ?? false;
  }

  enter(p: Process, spec: SyscallSpec, args: readonly number[]): void {
    if (!this.filter(p)) return;
    const rendered = spec.args.map((a, i) => this.input(p, spec, a, args, i));
    this.entered.set(p, { rendered, startNs: this.k.clock.now(), mechanism: p.mechanism });
  }

  exit(p: Process, spec: SyscallSpec, args: readonly number[], result: number | undefined): void {
    const entered = this.entered.get(p);
    if (!entered) return;
    this.entered.delete(p);
    const parts = spec.args.map((a, i) => entered.rendered[i] ?? this.output(p, a, args, i, result));
    const shown = parts.filter((_, i) => !(spec.args[i]!.kind === 'mode' && spec.args[i - 1]?.kind === 'openflags' && !(args[i - 1]! & O_CREAT)));
    if (this.lines) {
      const tag = this.mechanism ? ` <${entered.mechanism}>` : '';
      this.out(`${spec.name}(${shown.join(', ')}) = ${formatResult(spec, result)}${tag}`, p);
    }
    // Like strace -c, count only calls that returned (exit and exit_group never do).
    if (result === undefined) return;
    const calls = this.stats.get(entered.mechanism) ?? new Map<string, CallStats>();
    this.stats.set(entered.mechanism, calls);
    const nr = (this.k.abi.name === 'i386' ? spec.i386 : spec.x86_64) ?? spec.i386;
    const s = calls.get(spec.name) ?? { name: spec.name, nr, calls: 0, errors: 0, ns: 0 };
    s.calls++;
    if (isErrorResult(result)) s.errors++;
    s.ns += this.k.clock.now() - entered.startNs;
    calls.set(spec.name, s);
  }

  /** Reports a signal acted on, as strace's --- lines (never SIGKILL, which a tracer sees only as the end). */
  signalDelivered(p: Process, sig: number, info: SigInfo): void {
    if (!this.filter(p) || !this.lines || sig === SIG.SIGKILL) return;
    this.out(`--- ${signalName(sig)} ${siginfoText(sig, info)} ---`, p);
  }

  /** Reports a traced process's end, as strace's +++ lines. */
  processExit(p: Process, status: number): void {
    if (!this.filter(p) || !this.lines) return;
    const sig = status & 0x7f;
    this.out(sig === 0 ? `+++ exited with ${(status >> 8) & 0xff} +++` : `+++ killed by ${signalName(sig)} +++`, p);
  }

  /**
   * The `strace -c` table of everything traced so far. Calls that came through several
   * mechanisms get a table each, headed the way strace heads its table per personality.
   */
  summary(): string {
    const tables = MECHANISMS.flatMap((m) => {
      const calls = this.stats.get(m);
      return calls ? [{ m, table: summaryTable([...calls.values()]) }] : [];
    });
    if (tables.length <= 1) return tables[0]?.table ?? summaryTable([]);
    return tables.map(({ m, table }) => `System call usage summary for ${m}:\n${table}`).join('');
  }

  /** An argument decoded at entry, or null when it is an output decoded at exit. */
  private input(p: Process, spec: SyscallSpec, a: ArgSpec, args: readonly number[], i: number): string | null {
    const v = args[i]!;
    switch (a.kind) {
      case 'fd': case 'int': case 'pid': return String(v | 0);
      case 'uint': return String(v >>> 0);
      case 'signal': return signalArg(v);
      case 'openflags': return openFlags(v);
      case 'mode': return octalMode(v);
      case 'whence': return whence(v);
      case 'waitoptions': return waitOptions(v);
      case 'clockid': return clockName(v);
      case 'ioctlcmd': return ioctlName(v);
      case 'ptr': return pointer(v);
      case 'raw': return v === 0 ? '0' : `0x${(v >>> 0).toString(16)}`;
      case 'string': {
        const s = this.k.readString(p, v);
        return typeof s === 'number' ? pointer(v) : quoteBytes(latin1(s), Infinity);
      }
      case 'inbuf': {
        const len = args[a.lenArg]! >>> 0;
        const bytes = this.k.copyIn(p, v, Math.min(len, this.strsize));
        return typeof bytes === 'number' ? pointer(v) : quoteBytes(bytes, this.strsize, len > this.strsize);
      }
      case 'instruct': return this.struct(p, a.struct, v);
      case 'strarray': return a.name === 'envp' ? this.envCount(p, v) : this.stringArray(p, v);
      case 'outbuf': case 'outstruct': return spec.returns === 'noreturn' ? pointer(v) : null;
    }
  }

  private output(p: Process, a: ArgSpec, args: readonly number[], i: number, result: number | undefined): string {
    const v = args[i]!;
    if (result === undefined || isErrorResult(result) || v === 0) return pointer(v);
    if (a.kind === 'outbuf') {
      if (a.name === 'dirp') return `${pointer(v)} /* ${this.direntCount(p, v, result)} entries */`;
      const bytes = this.k.copyIn(p, v, Math.min(result, this.strsize));
      return typeof bytes === 'number' ? pointer(v) : quoteBytes(bytes, this.strsize, result > this.strsize);
    }
    if (a.kind === 'outstruct') {
      if (a.struct === 'int' && result === 0) return pointer(v);
      return this.struct(p, a.struct, v);
    }
    return pointer(v);
  }

  private struct(p: Process, struct: StructName, va: number): string {
    const abi = this.k.abi;
    const bytes = this.k.copyIn(p, va, abi.structSize(struct));
    if (typeof bytes === 'number') return pointer(va);
    switch (struct) {
      case 'stat': {
        const st = abi.decodeStat(bytes);
        const type = st.mode & 0o170000;
        const extra = type === 0o020000 ? `st_rdev=makedev(0x${(st.rdev >> 8).toString(16)}, 0x${(st.rdev & 0xff).toString(16)})` : `st_size=${st.size}`;
        return `{st_mode=${statMode(st.mode)}, ${extra}, ...}`;
      }
      case 'timespec': case 'timeval': {
        const t = abi.decodeTimePair(bytes);
        return `{tv_sec=${t.seconds}, ${struct === 'timespec' ? 'tv_nsec' : 'tv_usec'}=${t.fraction}}`;
      }
      case 'timezone': {
        const t = abi.decodeTimePair(bytes);
        return `{tz_minuteswest=${t.seconds}, tz_dsttime=${t.fraction}}`;
      }
      case 'utsname': {
        const u = abi.decodeUtsname(bytes);
        return `{sysname="${u.sysname}", nodename="${u.nodename}", ...}`;
      }
      case 'int': return waitStatus(decodeInt32(bytes));
      case 'time': return `[${abi.decodeLong(bytes)}]`;
      case 'fdpair': {
        return `[${decodeInt32(bytes)}, ${decodeInt32(bytes.subarray(4))}]`;
      }
      case 'rusage': return '{ru_utime={tv_sec=0, tv_usec=0}, ru_stime={tv_sec=0, tv_usec=0}, ...}';
      case 'sigset': return sigsetText(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
      case 'sigaction': {
        const a = abi.decodeSigaction(bytes);
        const handler = a.handler === 0 ? 'SIG_DFL' : a.handler === 1 ? 'SIG_IGN' : pointer(a.handler);
        return `{sa_handler=${handler}, sa_mask=${sigsetText(a.mask)}, sa_flags=0x${(a.flags >>> 0).toString(16)}}`;
      }
      case 'procinfo': case 'termios': return pointer(va);
    }
  }

  private stringArray(p: Process, va: number): string {
    if (va === 0) return 'NULL';
    const w = this.k.abi.wordBytes;
    const items: string[] = [];
    for (let i = 0; ; i++) {
      const raw = this.k.copyIn(p, va + i * w, w);
      if (typeof raw === 'number') return pointer(va);
      const ptr = this.k.abi.decodePointer(raw);
      if (ptr === 0) break;
      const s = this.k.readString(p, ptr, 4096);
      items.push(typeof s === 'number' ? pointer(ptr) : quoteBytes(latin1(s), this.strsize));
    }
    return `[${items.join(', ')}]`;
  }

  private envCount(p: Process, va: number): string {
    if (va === 0) return 'NULL';
    const w = this.k.abi.wordBytes;
    let n = 0;
    for (;; n++) {
      const raw = this.k.copyIn(p, va + n * w, w);
      if (typeof raw === 'number') return pointer(va);
      if (this.k.abi.decodePointer(raw) === 0) break;
    }
    return `${pointer(va)} /* ${n} var${n === 1 ? '' : 's'} */`;
  }

  private direntCount(p: Process, va: number, length: number): number {
    const bytes = this.k.copyIn(p, va, length);
    if (typeof bytes === 'number') return 0;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let n = 0;
    for (let at = 0; at + 10 <= length; n++) at += view.getUint16(at + 2 * this.k.abi.wordBytes, true) || length;
    return n;
  }
}

/** The "= ..." part of a line. */
export function formatResult(spec: SyscallSpec, result: number | undefined): string {
  if (result === undefined) return '?';
  if (isErrorResult(result)) {
    const info = errnoInfo(-result);
    return info ? `-1 ${info.name} (${info.message})` : `-1 (errno ${-result})`;
  }
  // strace prints hex results with %#lx: 0x804a000, and plain 0 for zero.
  return spec.returns === 'hex' ? (result === 0 ? '0' : pointer(result)) : String(result);
}

function latin1(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}

/** A signal mask as strace prints it: [INT TERM]. */
function sigsetText(mask: bigint): string {
  const names: string[] = [];
  for (let sig = 1; sig <= 64; sig++) if (mask & (1n << BigInt(sig - 1))) names.push(signalName(sig).replace(/^SIG/, ''));
  return `[${names.join(' ')}]`;
}

/**
 * A siginfo as strace prints it: the sender for codes from user space (si_code <= 0), the child for
 * SIGCHLD, the address for the fault signals, nothing more for the others.
 */
export function siginfoText(sig: number, info: SigInfo): string {
  const fields = [`si_signo=${signalName(sig)}`, `si_code=${siCodeName(sig, info.code)}`];
  const source = `si_pid=${info.pid ?? 0}, si_uid=0`;
  if (info.code <= 0) {
    fields.push(source);
  } else if (sig === SIG.SIGCHLD) {
    const status = info.code === SI_CODE.CLD_EXITED ? String(info.status ?? 0) : signalName(info.status ?? 0);
    fields.push(source, `si_status=${status}`, 'si_utime=0', 'si_stime=0');
  } else if (sig === SIG.SIGILL || sig === SIG.SIGFPE || sig === SIG.SIGSEGV || sig === SIG.SIGBUS) {
    fields.push(`si_addr=${pointer(info.addr ?? 0)}`);
  }
  return `{${fields.join(', ')}}`;
}
