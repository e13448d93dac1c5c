// The system-call entry paths of the i386 kernel, one row per mechanism: how ring 3 gets in (int n
// through a DPL 3 trap gate, a far call through the GDT's call gate, or sysenter through the
// SYSENTER MSRs), the stub that builds the pt_regs (entry.asm), and how the bridge finds the
// number and arguments and where the result goes (syscall-abis.ts, sysenter.ts). Every row ends
// in the same dispatcher, k.syscall. descriptors.ts installs the gates from these rows, system.ts
// dispatches on them, the boot log lists those the CPU has.
import type { Kernel } from '../../kernel.ts';
import type { Process } from '../../proc/process.ts';
import { SIG } from '../../proc/signals.ts';
import type { Mechanism } from '../../syscalls/mechanisms.ts';
import { ARG_BLOCK_VA, ARGBLOCK_VECTOR, CALL_GATE_PARAMS, Gdt, Msr, STACK_SYSCALL_VECTOR, SYSCALL_VECTOR } from './layout.ts';
import { ARG_BLOCK_BYTES, blockArgs, blockResult, eaxEdxResult, eaxResult, gateArgs, int80Syscall, stackArgs } from './syscall-abis.ts';
import { sysenterSyscall } from './sysenter.ts';
import type { TrapFrame } from './trap-frame.ts';

/** Stores a call's result where the process expects it; false when it could not be stored. */
export type ResultSetter = (result: number) => boolean;

/** `int vector` through a DPL 3 trap gate of the IDT. */
export interface TrapGate {
  readonly kind: 'trap';
  readonly vector: number;
}

/** A far call through the GDT's call gate at `selector`, which copies `params` dwords. */
export interface CallGate {
  readonly kind: 'call';
  readonly selector: number;
  readonly params: number;
}

/**
 * `sysenter`: the SYSENTER MSRs hold the kernel's CS, stack and the stub's address (the startup
 * code programs them, head.asm), only on a CPU with a usable SEP (sysenter.ts, sepUsable).
 */
export interface SysenterMsrs {
  readonly kind: 'sysenter';
}

/** One way into the kernel for a system call. */
export interface EntryPath {
  readonly mechanism: Mechanism;
  /** How ring 3 enters. */
  readonly gate: TrapGate | CallGate | SysenterMsrs;
  /** The stub's label in entry.asm. */
  readonly stub: string;
  /** How the number, arguments and result travel (for the boot log). */
  readonly convention: string;
  /** Where a result goes for process `p`, whose trap frame is `frame` (fork gives the child its 0 through it). */
  result(k: Kernel, p: Process, frame: TrapFrame): ResultSetter;
  /** Makes the current process's call from its frame; `report` prints a kernel message line. */
  syscall(k: Kernel, frame: TrapFrame, report: (line: string) => void): void;
}

/** A result convention of registers in the frame, which always takes the result. */
function inFrame(set: (result: number) => void): ResultSetter {
  return (result) => {
    set(result);
    return true;
  };
}

/** The argument block's path: the process dies (SIGSEGV, with a message) when its block cannot be read and written. */
function blockSyscall(k: Kernel, frame: TrapFrame, report: (line: string) => void): void {
  const p = k.current!;
  const call = k.writableRange(p, ARG_BLOCK_VA, ARG_BLOCK_BYTES) ? blockArgs(k, p, ARG_BLOCK_VA) : null;
  if (!call) {
    const why = p.argBlock === null ? 'the program has no argument block' : 'its argument block is unmapped or read-only';
    report(`${p.name}[${p.pid}]: system call through int 0x${ARGBLOCK_VECTOR.toString(16)}, but ${why} (at 0x${ARG_BLOCK_VA.toString(16)}): killed\n`);
    k.signal(p, SIG.SIGSEGV, true);
    k.preemptionPoint();
    return;
  }
  frame.set('orig_eax', call.nr);
  k.syscall(call.nr, call.fetch, blockResult(k, p, ARG_BLOCK_VA), 'argblock');
}

/** Every system-call entry of this kernel. */
export const ENTRY_PATHS: readonly EntryPath[] = [
  {
    mechanism: 'int80', gate: { kind: 'trap', vector: SYSCALL_VECTOR }, stub: 'vector_syscall',
    convention: 'nr in eax, args in ebx..ebp, -errno in eax',
    result: (_k, _p, frame) => inFrame(eaxResult(frame)),
    syscall: (k, frame) => int80Syscall(k, frame),
  },
  {
    mechanism: 'stack', gate: { kind: 'trap', vector: STACK_SYSCALL_VECTOR }, stub: 'vector_stack_syscall',
    convention: 'nr in eax, args at user esp+4, errno in edx',
    result: (_k, _p, frame) => inFrame(eaxEdxResult(frame)),
    syscall: (k, frame) => k.syscall(frame.get('orig_eax'), stackArgs(k, k.current!, frame), eaxEdxResult(frame), 'stack'),
  },
  {
    mechanism: 'callgate', gate: { kind: 'call', selector: Gdt.CALL_GATE, params: CALL_GATE_PARAMS }, stub: 'callgate_entry',
    convention: `nr in eax, the gate copies ${CALL_GATE_PARAMS} args, -errno in eax`,
    result: (_k, _p, frame) => inFrame(eaxResult(frame)),
    syscall: (k, frame) => k.syscall(frame.get('orig_eax'), gateArgs(k, frame), eaxResult(frame), 'callgate'),
  },
  {
    mechanism: 'argblock', gate: { kind: 'trap', vector: ARGBLOCK_VECTOR }, stub: 'vector_argblock_syscall',
    convention: `nr, args and result in the block at 0x${ARG_BLOCK_VA.toString(16)}`,
    result: (k, p) => blockResult(k, p, ARG_BLOCK_VA),
    syscall: blockSyscall,
  },
  {
    mechanism: 'sysenter', gate: { kind: 'sysenter' }, stub: 'sysenter_entry',
    convention: `MSRs 0x${Msr.SYSENTER_CS.toString(16)}-0x${Msr.SYSENTER_EIP.toString(16)}; args as int 0x80, 6th at [ebp]`,
    result: (_k, _p, frame) => inFrame(eaxResult(frame)),
    syscall: (k, frame) => sysenterSyscall(k, frame),
  },
];

/**
 * What a path's stub passes in ECX: where the CPU found the stub's address, which is the vector
 * of a trap gate, the selector of the call gate, or the number of the SYSENTER_EIP MSR.
 */
export function entryKey(path: EntryPath): number {
  switch (path.gate.kind) {
    case 'trap': return path.gate.vector;
    case 'call': return path.gate.selector;
    case 'sysenter': return Msr.SYSENTER_EIP;
  }
}

/** The path whose stub passes `key` in ECX (entryKey). */
export function entryPathByKey(key: number): EntryPath | undefined {
  return ENTRY_PATHS.find((path) => entryKey(path) === key);
}

/** The paths a CPU offers: all of them, but sysenter only when it has a usable SEP. */
export function livePaths(sep: boolean): EntryPath[] {
  return ENTRY_PATHS.filter((path) => path.gate.kind !== 'sysenter' || sep);
}

/** The call gate's path, if this kernel has one. */
export function callGatePath(): (EntryPath & { readonly gate: CallGate }) | undefined {
  return ENTRY_PATHS.find((path): path is EntryPath & { readonly gate: CallGate } => path.gate.kind === 'call');
}

/** The path of `mechanism`, if this kernel has it. */
export function entryPathOf(mechanism: Mechanism): EntryPath | undefined {
  return ENTRY_PATHS.find((path) => path.mechanism === mechanism);
}
