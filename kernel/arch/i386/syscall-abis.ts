// How each 32-bit entry mechanism passes the syscall number and arguments and takes the result,
// as argument fetchers and result setters over the trap frame. They all end in the same
// dispatcher; see the table in DESIGN.md ("Every mechanism ... gets its own argument fetcher").
import type { Kernel } from '../../kernel.ts';
import type { Process } from '../../proc/process.ts';
import type { ArgFetcher } from '../../syscalls/dispatch.ts';
import type { Mechanism } from '../../syscalls/mechanisms.ts';
import { CALL_GATE_PARAMS } from './layout.ts';
import type { PtRegName, TrapFrame } from './trap-frame.ts';

/** The mechanisms this kernel serves: the userland may be built for any of them. */
export const I386_MECHANISMS: readonly Mechanism[] = ['int80', 'stack', 'callgate', 'argblock', 'sysenter', 'vdso'];

/** Linux i386's argument registers, in order (int 0x80 and the call gate's register form). */
export const ARG_REGISTERS: readonly PtRegName[] = ['ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp'];

/** int 0x80: arguments in ebx, ecx, edx, esi, edi, ebp. */
export function registerArgs(frame: TrapFrame): ArgFetcher {
  return (i) => frame.get(ARG_REGISTERS[i]!);
}

/**
 * sysenter through __kernel_vsyscall, as Linux: the first five arguments are in registers; the
 * vDSO pushed the sixth (the caller's ebp) and left its esp in ebp, which the stub saved as the
 * frame's esp. Loads that word into the frame's ebp, so the frame reads as int 0x80's and the
 * register fetcher serves both. 0, or -EFAULT when the user stack is unreadable (Linux fails
 * the call then, whatever its number).
 */
export function loadSysenterArg6(k: Kernel, p: Process, frame: TrapFrame): number {
  const word = k.copyIn(p, frame.get('esp') >>> 0, 4);
  if (typeof word === 'number') return word;
  frame.set('ebp', k.abi.decodePointer(word));
  return 0;
}

/** The stack ABI (os5): cdecl arguments on the user stack above the return address, at esp+4, esp+8... */
export function stackArgs(k: Kernel, p: Process, frame: TrapFrame): ArgFetcher {
  return (i) => {
    const word = k.copyIn(p, (frame.get('esp') + 4 + 4 * i) >>> 0, 4);
    return typeof word === 'number' ? null : k.abi.decodePointer(word);
  };
}

/**
 * The call gate: the CPU copied CALL_GATE_PARAMS dwords from the user stack to the kernel stack,
 * where the stub leaves them just below the frame (entry.asm); argument i is copy i.
 */
export function gateArgs(k: Kernel, frame: TrapFrame): ArgFetcher {
  return (i) => (i < CALL_GATE_PARAMS ? k.mem.read32(frame.base - 4 * CALL_GATE_PARAMS + 4 * i) >>> 0 : null);
}

/** Result convention of int 0x80, sysenter, the call gate and syscall: the value or -errno in eax. */
export function eaxResult(frame: TrapFrame): (result: number) => void {
  return (result) => frame.set('eax', result);
}

/** Result convention of the stack ABI (os5): eax = result, or -1 with the errno in edx; edx = 0 on success. */
export function eaxEdxResult(frame: TrapFrame): (result: number) => void {
  return (result) => {
    const failed = result < 0 && result >= -4095;
    frame.set('eax', failed ? -1 : result);
    frame.set('edx', failed ? -result : 0);
  };
}

/**
 * Offsets in the argument block, dwords: seed 000's { function, arg1, arg2, arg3, result }, then
 * arg4..arg6 after the result for the calls with more arguments (wait4, rt_sigaction...).
 */
export const ArgBlock = { function: 0, arg1: 4, arg2: 8, arg3: 12, result: 16, arg4: 20, arg5: 24, arg6: 28 } as const;
/** Bytes of the argument block. */
export const ARG_BLOCK_BYTES = 32;
const BLOCK_ARGS = [ArgBlock.arg1, ArgBlock.arg2, ArgBlock.arg3, ArgBlock.arg4, ArgBlock.arg5, ArgBlock.arg6];

/** The argument-block mechanism: number and up to six arguments read from a user block; null when it is unreadable. */
export function blockArgs(k: Kernel, p: Process, blockVa: number): { nr: number; fetch: ArgFetcher } | null {
  const raw = k.copyIn(p, blockVa, ARG_BLOCK_BYTES);
  if (typeof raw === 'number') return null;
  const word = (o: number): number => k.abi.decodePointer(raw.subarray(o, o + 4));
  return { nr: word(ArgBlock.function), fetch: (i) => (i < BLOCK_ARGS.length ? word(BLOCK_ARGS[i]!) : null) };
}

/** Stores a result in the argument block's result field; false when the block is no longer writable. */
export function blockResult(k: Kernel, p: Process, blockVa: number): (result: number) => boolean {
  return (result) => k.copyOut(p, blockVa + ArgBlock.result, k.abi.encodeLong(result)) === 0;
}

/** The bridge's call for int 0x80: number from orig_eax, register arguments, result in eax. */
export function int80Syscall(k: Kernel, frame: TrapFrame): void {
  k.syscall(frame.get('orig_eax'), registerArgs(frame), eaxResult(frame), 'int80');
}
