// The boot log: one line per thing the kernel installed, so the screen teaches what the CPU
// now has (the tables, the gates, the devices and their IRQs).
import { TIME_SLICE_TICKS, type Kernel } from '../../kernel.ts';
import { KERNEL_BASE } from './address-space.ts';
import { EXCEPTIONS } from './descriptors.ts';
import { callGatePath, ENTRY_PATHS, type EntryPath } from './entry-paths.ts';
import { Gdt, IMAGE_PHYS, IRQ_BASE } from './layout.ts';

/** What the log reports on. */
export interface BootLogFacts {
  readonly kernel: Kernel;
  readonly hz: number;
  readonly divisor: number;
  /** CR4.PGE is on. */
  readonly globalPages: boolean;
  readonly init: string;
}

const hex = (n: number, width = 2): string => `0x${(n >>> 0).toString(16).toUpperCase().padStart(width, '0')}`;

/** The instruction a program enters through `path` with. */
function enter(path: EntryPath): string {
  return path.gate.kind === 'trap' ? `int ${hex(path.gate.vector)}` : `call ${hex(path.gate.selector | 3)}:0`;
}

/** The log lines, each at most 80 columns. */
export function bootLog(f: BootLogFacts): string[] {
  const k = f.kernel;
  const names = EXCEPTIONS.map((e, v) => e?.mnemonic ?? (v === 15 || v > 20 ? '' : `${v}`)).filter((n) => n !== '');
  const vectors = ENTRY_PATHS.flatMap((p) => (p.gate.kind === 'trap' ? [hex(p.gate.vector)] : []));
  const gate = callGatePath() ? 'call gate DPL 3' : 'kept for a call gate';
  return [
    'syscall-kit i386: TypeScript service routines behind NASM entry stubs',
    `mem: ${k.mem.size >> 10} KiB RAM, ${k.frames.freeCount} free frames, kernel image at ${hex(IMAGE_PHYS, 8)}`,
    `paging: ${hex(KERNEL_BASE, 8)}+ = physical 0 in 4 MiB supervisor pages (CR4.PSE${f.globalPages ? ', PGE' : ''}), user below`,
    `gdt: ${hex(Gdt.KERNEL_CS)} kernel code, ${hex(Gdt.KERNEL_DS)} kernel data, ${hex(Gdt.USER_CS)} user code, ${hex(Gdt.USER_DS)} user data`,
    `gdt: ${hex(Gdt.TSS)} TSS (104 bytes + 8 KiB I/O bitmap), ${hex(Gdt.CALL_GATE)} ${gate}`,
    `tss: SS0:ESP0 = ${hex(Gdt.KERNEL_DS)}:the process's kernel stack; I/O bitmap denies all ports`,
    `idt: 0x00-0x1F exceptions, interrupt gates DPL 0:`,
    ` ${names.join(' ')}`,
    `idt: ${hex(IRQ_BASE)}-${hex(IRQ_BASE + 15)} IRQ 0-15 interrupt gates DPL 0, ${vectors.join(' ')} trap gates DPL 3`,
    ...ENTRY_PATHS.map((p) => `syscall: ${p.mechanism.padEnd(9)}${enter(p).padEnd(12)}${p.convention}`),
    `pic: IRQ 0-7 -> ${hex(IRQ_BASE)}-${hex(IRQ_BASE + 7)}, IRQ 8-15 -> ${hex(IRQ_BASE + 8)}-${hex(IRQ_BASE + 15)}`,
    `pit: channel 0 at ${f.hz} Hz (divisor ${f.divisor}) on IRQ 0, time slice ${TIME_SLICE_TICKS} ticks`,
    'keyboard: 8042 on IRQ 1; serial: COM1 on IRQ 4, 115200 8N1, mirrors the console',
    `init: ${f.init}`,
  ];
}
