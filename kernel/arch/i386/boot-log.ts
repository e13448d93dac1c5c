// The boot log: one line per thing the kernel installed, so the screen teaches what the CPU
// now has (the tables, the gates, the devices and their IRQs).
import { TIME_SLICE_TICKS, type Kernel } from '../../kernel.ts';
import { KERNEL_BASE } from './address-space.ts';
import { EXCEPTIONS, USER_VECTORS } from './descriptors.ts';
import { callGatePath, livePaths, type EntryPath } from './entry-paths.ts';
import { Gdt, IMAGE_PHYS, IRQ_BASE, SYSCALL_VECTOR } from './layout.ts';

/** What the log reports on. */
export interface BootLogFacts {
  readonly kernel: Kernel;
  readonly hz: number;
  readonly divisor: number;
  /** CR4.PGE is on. */
  readonly globalPages: boolean;
  /** The CPU as CPUID leaves 0 and 1 describe it, and whether the kernel uses its sysenter. */
  readonly cpu: { readonly vendor: string; readonly signature: number; readonly sysenter: boolean };
  readonly init: string;
}

const hex = (n: number, width = 2): string => `0x${(n >>> 0).toString(16).toUpperCase().padStart(width, '0')}`;

/** The instruction a program enters through `path` with. */
function enter(path: EntryPath): string {
  switch (path.gate.kind) {
    case 'trap': return `int ${hex(path.gate.vector)}`;
    case 'call': return `call ${hex(path.gate.selector | 3)}:0`;
    case 'sysenter': return 'sysenter';
  }
}

/** The log lines, each at most 80 columns. */
export function bootLog(f: BootLogFacts): string[] {
  const k = f.kernel;
  const { vendor, signature, sysenter } = f.cpu;
  const model = `family ${(signature >>> 8) & 0xf} model ${(signature >>> 4) & 0xf} stepping ${signature & 0xf}`;
  const names = EXCEPTIONS.map((e, v) => e?.mnemonic ?? (v === 15 || v > 20 ? '' : `${v}`)).filter((n) => n !== '');
  const paths = livePaths(sysenter);
  const vectors = paths.flatMap((p) => (p.gate.kind === 'trap' ? [hex(p.gate.vector)] : []));
  const gate = callGatePath() ? 'call gate DPL 3' : 'kept for a call gate';
  return [
    'syscall-kit i386: TypeScript service routines behind NASM entry stubs',
    `mem: ${k.mem.size >> 10} KiB RAM, ${k.frames.freeCount} free frames, kernel image at ${hex(IMAGE_PHYS, 8)}`,
    `paging: ${hex(KERNEL_BASE, 8)}+ = physical 0 in 4 MiB supervisor pages (CR4.PSE${f.globalPages ? ', PGE' : ''}), user below`,
    `gdt: ${hex(Gdt.KERNEL_CS)} kernel code, ${hex(Gdt.KERNEL_DS)} kernel data, ${hex(Gdt.USER_CS)} user code, ${hex(Gdt.USER_DS)} user data`,
    `gdt: ${hex(Gdt.TSS)} TSS (104 bytes + 8 KiB I/O bitmap), ${hex(Gdt.CALL_GATE)} ${gate}`,
    `tss: SS0:ESP0 = ${hex(Gdt.KERNEL_DS)}:the process's kernel stack; I/O bitmap denies all ports`,
    `idt: 0x00-0x1F exceptions, interrupt gates DPL 0 (3 for ${USER_VECTORS.map((v) => EXCEPTIONS[v]!.mnemonic).join(' ')}):`,
    ` ${names.join(' ')}`,
    `idt: ${hex(IRQ_BASE)}-${hex(IRQ_BASE + 15)} IRQ 0-15 interrupt gates DPL 0, ${vectors.join(' ')} trap gates DPL 3`,
    `cpu: ${vendor} ${model}, ${sysenter ? 'SEP: sysenter/sysexit' : 'no SEP: no sysenter'}`,
    ...paths.map((p) => `syscall: ${p.mechanism.padEnd(9)}${enter(p).padEnd(12)}${p.convention}`),
    `vdso: __kernel_vsyscall by ${sysenter ? 'sysenter' : `int ${hex(SYSCALL_VECTOR)}`}; time calls read the vvar page, no trap`,
    `pic: IRQ 0-7 -> ${hex(IRQ_BASE)}-${hex(IRQ_BASE + 7)}, IRQ 8-15 -> ${hex(IRQ_BASE + 8)}-${hex(IRQ_BASE + 15)}`,
    `pit: channel 0 at ${f.hz} Hz (divisor ${f.divisor}) on IRQ 0, time slice ${TIME_SLICE_TICKS} ticks`,
    'keyboard: 8042 on IRQ 1; serial: COM1 on IRQ 4, 115200 8N1, mirrors the console',
    `init: ${f.init}`,
  ];
}
