// Linux's i386 rt_sigframe on the user stack: what a signal handler finds when the kernel
// enters it, and what rt_sigreturn reads back. Layout (offsets from the frame's start):
//   0 pretcode (the restorer: the handler's return address)   4 sig   8 &info   12 &uc
//   16 siginfo (128 bytes)   144 ucontext: flags, link, stack (12), sigcontext (88), sigmask (8)
import type { Kernel } from '../../kernel.ts';
import type { Process } from '../../proc/process.ts';
import type { SigAction } from '../../proc/sigaction.ts';
import type { SigInfo } from '../../proc/siginfo.ts';
import { Gdt } from './layout.ts';
import type { PtRegName, TrapFrame } from './trap-frame.ts';

const INFO = 16;
const UC = INFO + 128;
const SIGCONTEXT = UC + 20;
const SIGMASK = SIGCONTEXT + 88;
const FRAME_BYTES = SIGMASK + 8;

/** struct sigcontext's dwords in order; the names that are not pt_regs fields are filled specially. */
const SIGCONTEXT_FIELDS = [
  'gs', 'fs', 'es', 'ds', 'edi', 'esi', 'ebp', 'esp', 'ebx', 'edx', 'ecx', 'eax',
  'trapno', 'err', 'eip', 'cs', 'eflags', 'esp_at_signal', 'ss', 'fpstate', 'oldmask', 'cr2',
] as const;
const NOT_REGISTERS = new Set(['trapno', 'err', 'esp_at_signal', 'fpstate', 'oldmask', 'cr2']);
/** The registers rt_sigreturn restores from the sigcontext (cs and ss stay the user selectors). */
const RESTORED: readonly PtRegName[] = ['gs', 'fs', 'es', 'ds', 'edi', 'esi', 'ebp', 'esp', 'ebx', 'edx', 'ecx', 'eax', 'eip'];

/** EFLAGS bits a handler may change through its sigcontext (Linux's FIX_EFLAGS): AC, RF, OF, DF, TF, SF, ZF, AF, PF, CF. */
const USER_EFLAGS = 0x40000 | 0x10000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1;
/** Entering a handler clears DF, TF and RF, as Linux does. */
const HANDLER_CLEARS = 0x400 | 0x100 | 0x10000;
/** Segment selectors a sigcontext may restore: anything else would fault in the exit stub, in ring 0. */
const USER_SELECTORS = new Set([0, Gdt.USER_CS, Gdt.USER_DS]);

/** Builds p's frame below its user esp and enters the handler; false when the user stack cannot take the frame. */
export function pushSignalFrame(k: Kernel, p: Process, frame: TrapFrame, sig: number, action: SigAction, savedMask: bigint, info: SigInfo): boolean {
  const esp = frame.get('esp') >>> 0;
  // Below the interrupted stack, with esp+4 16-byte aligned at the handler's entry (i386 ABI).
  const at = ((((esp - FRAME_BYTES) >>> 0) + 4) & ~15) - 4;
  const bytes = new Uint8Array(FRAME_BYTES);
  const view = new DataView(bytes.buffer);
  const put = (offset: number, value: number): void => view.setUint32(offset, value >>> 0, true);
  put(0, action.restorer);
  put(4, sig);
  put(8, at + INFO);
  put(12, at + UC);
  put(INFO, sig); // si_signo; si_errno stays 0
  put(INFO + 8, info.code); // si_code
  if (info.addr !== undefined) {
    put(INFO + 12, info.addr); // si_addr
  } else {
    put(INFO + 12, info.pid ?? 0); // si_pid; si_uid at 16 stays 0
    put(INFO + 20, info.status ?? 0); // si_status (SIGCHLD); si_utime and si_stime stay 0
  }
  // sigcontext: the registers, and for a fault its vector, error code and (a #PF) address.
  const special: Record<string, number> = { esp_at_signal: esp, trapno: info.trap?.vector ?? 0, err: info.trap?.error ?? 0, cr2: info.trap?.vector === 14 ? (info.addr ?? 0) : 0 };
  SIGCONTEXT_FIELDS.forEach((name, i) => {
    put(SIGCONTEXT + 4 * i, NOT_REGISTERS.has(name) ? (special[name] ?? 0) : frame.get(name as PtRegName));
  });
  put(SIGMASK, Number(savedMask & 0xffffffffn));
  put(SIGMASK + 4, Number((savedMask >> 32n) & 0xffffffffn));
  if (k.copyOut(p, at >>> 0, bytes) < 0) return false;
  frame.set('esp', at >>> 0);
  frame.set('eip', action.handler);
  frame.set('eax', sig);
  frame.set('edx', (at + INFO) >>> 0);
  frame.set('ecx', (at + UC) >>> 0);
  frame.set('cs', Gdt.USER_CS);
  frame.set('ss', Gdt.USER_DS);
  frame.set('ds', Gdt.USER_DS);
  frame.set('es', Gdt.USER_DS);
  frame.set('eflags', frame.get('eflags') & ~HANDLER_CLEARS);
  return true;
}

/** rt_sigreturn: the handler's `ret` popped pretcode, so the frame starts at esp-4. Restores the registers; answers the saved mask, or null for a bad frame. */
export function popSignalFrame(k: Kernel, p: Process, frame: TrapFrame): bigint | null {
  const at = (frame.get('esp') - 4) >>> 0;
  const bytes = k.copyIn(p, (at + SIGCONTEXT) >>> 0, 88 + 8);
  if (typeof bytes === 'number') return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const field = (name: (typeof SIGCONTEXT_FIELDS)[number]): number => view.getUint32(4 * SIGCONTEXT_FIELDS.indexOf(name), true);
  for (const seg of ['gs', 'fs', 'es', 'ds'] as const) if (!USER_SELECTORS.has(field(seg))) return null;
  for (const reg of RESTORED) frame.set(reg, field(reg as (typeof SIGCONTEXT_FIELDS)[number]));
  frame.set('cs', Gdt.USER_CS);
  frame.set('ss', Gdt.USER_DS);
  frame.set('eflags', (frame.get('eflags') & ~USER_EFLAGS) | (field('eflags') & USER_EFLAGS));
  frame.set('orig_eax', -1);
  return BigInt(view.getUint32(88, true)) | (BigInt(view.getUint32(92, true)) << 32n);
}
