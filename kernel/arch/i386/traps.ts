// CPU exceptions: from ring 3 they are the process's fault (a copy-on-write page, or a signal
// with a one-line report like Linux's); from ring 0 they are the kernel's, and fatal.
import type { Kernel } from '../../kernel.ts';
import type { Process } from '../../proc/process.ts';
import { signalForException, Vector } from '../exceptions.ts';
import { KERNEL_BASE } from './address-space.ts';
import { EXCEPTIONS } from './descriptors.ts';
import { PtRegs, type TrapFrame } from './trap-frame.ts';

/** #PF error code bit 1: the access was a write. */
const PF_WRITE = 2;

const hex8 = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
const hex = (n: number): string => (n >>> 0).toString(16);

/**
 * The names Linux's do_trap() gives the exceptions it reports as `trap NAME`. #GP and #PF have
 * lines of their own; #DB, #NM, #MF and #XM are signalled without a line.
 */
const TRAP_NAMES: Record<number, string> = {
  [Vector.DE]: 'divide error',
  [Vector.BP]: 'int3',
  [Vector.OF]: 'overflow',
  [Vector.BR]: 'bounds',
  [Vector.UD]: 'invalid opcode',
  9: 'coprocessor segment overrun',
  [Vector.TS]: 'invalid TSS',
  [Vector.NP]: 'segment not present',
  [Vector.SS]: 'stack segment',
  [Vector.AC]: 'alignment check',
};

/** What a `traps:` line calls exception `vector` (Linux's wording), or null when it gets no line. */
export function trapReportName(vector: number): string | null {
  if (vector === Vector.GP) return 'general protection fault';
  const name = TRAP_NAMES[vector];
  return name === undefined ? null : `trap ${name}`;
}

/**
 * Whether Linux would print a line for `sig` (show_unhandled_signals): the signal kills the
 * process by its default action, or is ignored, and no tracer is there to report it; init always.
 */
function unhandled(p: Process, sig: number): boolean {
  if (p.pid === 1) return true;
  if (p.handlers.caught(sig)) return false;
  return p.trace === null;
}

/**
 * Handles an exception from user mode: resolves a copy-on-write write, else reports it as Linux
 * does and lets the kernel signal the current process. False when the vector is not the
 * program's doing (a machine check, a double fault): the caller panics.
 */
export function userException(k: Kernel, frame: TrapFrame, vector: number, cr2: number, report: (line: string) => void): boolean {
  const p = k.current;
  if (!p) return false;
  const error = frame.get('orig_eax');
  const sig = signalForException(vector);
  if (sig === null) return false;
  // Whether to report is decided before the signal is sent, which may end the process.
  const show = unhandled(p, sig);
  if (vector === Vector.PF) {
    const line = `${p.name}[${p.pid}]: segfault at ${hex(cr2)} ip ${hex8(frame.get('eip'))} sp ${hex8(frame.get('esp'))} error ${hex(error)}\n`;
    // A write to a copy-on-write page is resolved; anything else is signalled there.
    if (!k.userPageFault(cr2, (error & PF_WRITE) !== 0, error) && show) report(line);
    return true;
  }
  const what = trapReportName(vector);
  const line = `traps: ${p.name}[${p.pid}] ${what} ip:${hex(frame.get('eip'))} sp:${hex(frame.get('esp'))} error:${hex(error)}\n`;
  // #DE and #UD are faults: the frame's eip is the instruction, which is their si_addr.
  k.userException(vector, frame.get('eip'), error);
  if (show && what !== null) report(line);
  return true;
}

/** The stack pointer at the fault: a ring-0 fault pushes no esp, so it is just above eflags. */
function kernelEsp(frame: TrapFrame): number {
  return KERNEL_BASE + frame.base + PtRegs.esp;
}

/** The panic screen's text for an exception in ring 0: what, where, the saved registers, the instruction (`code`, disassembled). */
export function kernelFaultReport(frame: TrapFrame, vector: number, cr2: number, code: string): string {
  const e = EXCEPTIONS[vector];
  const lines = [
    `${e ? `${e.mnemonic} ${e.name}` : `exception ${vector}`} in kernel mode (vector ${vector}, error ${hex(frame.get('orig_eax'))})`,
    `EIP: ${hex8(frame.get('eip'))}  CS: ${hex(frame.get('cs'))}  EFLAGS: ${hex8(frame.get('eflags'))}${vector === Vector.PF ? `  CR2: ${hex8(cr2)}` : ''}`,
    `EAX: ${hex8(frame.get('eax'))}  EBX: ${hex8(frame.get('ebx'))}  ECX: ${hex8(frame.get('ecx'))}  EDX: ${hex8(frame.get('edx'))}`,
    `ESI: ${hex8(frame.get('esi'))}  EDI: ${hex8(frame.get('edi'))}  EBP: ${hex8(frame.get('ebp'))}  ESP: ${hex8(kernelEsp(frame))}`,
    `DS: ${hex(frame.get('ds'))}  ES: ${hex(frame.get('es'))}  FS: ${hex(frame.get('fs'))}  GS: ${hex(frame.get('gs'))}`,
    `Code: ${hex8(frame.get('eip'))}  ${code}`,
  ];
  return lines.join('\n');
}
