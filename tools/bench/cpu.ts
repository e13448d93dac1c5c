// CPU interpreter benchmark: boots a bare PC from a 4 KiB ROM (far jump to 0000:7C00), switches to
// 32-bit protected mode, and runs three guest loops to hlt, reporting millions of instructions per
// second. The guest code is pre-assembled; its NASM source is next to each byte string.
import type { InterruptSource, PortIo } from '../../machine/interfaces.ts';
import { Cpu } from '../../machine/cpu/cpu.ts';
import { PhysicalMemory } from '../../machine/memory/physical.ts';

/** One benchmark's outcome. */
export interface CpuBenchResult {
  name: string;
  instructions: number;
  seconds: number;
  mips: number;
}

const hex = (s: string) => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));

// bits 16 / org 0x7c00: cli; lgdt [gdtr]; mov eax, cr0; or al, 1; mov cr0, eax; jmp 0x08:pm
// bits 32: pm: mov ax, 0x10; mov ds/es/ss, ax; mov esp, 0x90000; jmp 0x10000
// gdt: null, flat code 0x00cf9a000000ffff, flat data 0x00cf92000000ffff; gdtr: dw 23, dd gdt
const BOOT = hex(
  'fa0f0116407c0f20c00c010f22c0ea137c080066b810008ed88ec08ed0bc00000900e9d9830000900000000000000000ffff0000009acf00ffff00000092cf001700287c0000',
);

/** Guest loops at 0x10000; each starts with `mov ecx, COUNT` whose immediate is patched. */
const GUESTS: Array<{ name: string; code: Uint8Array; perIteration: number }> = [
  // l: add eax, ecx; xor ebx, eax; sub edx, 3; and esi, ebx; dec ecx; jnz l; hlt
  { name: 'alu loop', code: hex('b98096980001c831c383ea0321de4975f4f4'), perIteration: 6 },
  // mov esi, 0x20000; l: add [esi], ecx; mov eax, [esi+4]; inc dword [esi+8]; add esi, 4;
  // and esi, 0x20ffc; dec ecx; jnz l; hlt
  { name: 'memory read-modify-write loop', code: hex('b980969800be00000200010e8b4604ff460883c60481e6fc0f02004975ecf4'), perIteration: 7 },
  // l: push ecx; call f; add esp, 4; dec ecx; jnz l; hlt
  // f: push ebp; mov ebp, esp; mov eax, [ebp+8]; pop ebp; ret
  { name: 'call/ret loop', code: hex('b98096980051e80700000083c4044975f4f45589e58b45085dc3'), perIteration: 10 },
];

const noIo: PortIo = { read: () => 0xff, write: () => undefined };
const noIrq: InterruptSource = { pending: () => false, acknowledge: () => 0 };

function machine(code: Uint8Array, iterations: number): Cpu {
  const memory = new PhysicalMemory({ ramSize: 2 << 20 });
  const rom = new Uint8Array(4096);
  rom.set([0xea, 0x00, 0x7c, 0x00, 0x00], 0xff0);
  memory.mapBios(rom);
  memory.load(0x7c00, BOOT);
  const patched = code.slice();
  new DataView(patched.buffer).setUint32(1, iterations, true);
  memory.load(0x10000, patched);
  return new Cpu({ memory, io: noIo, interrupts: noIrq });
}

/** Runs every guest loop `iterations` times and returns the figures. */
export function runCpuBench(iterations = 2_000_000): CpuBenchResult[] {
  return GUESTS.map(({ name, code }) => {
    const warm = machine(code, Math.min(200_000, iterations));
    while (warm.run(1_000_000) === 'budget');
    const cpu = machine(code, iterations);
    // Process CPU time rather than wall time, so a busy host does not distort the figure.
    const start = process.cpuUsage();
    let reason;
    while ((reason = cpu.run(1_000_000)) === 'budget');
    const used = process.cpuUsage(start);
    const seconds = (used.user + used.system) / 1e6;
    if (reason !== 'hlt') throw new Error(`${name}: stopped with ${reason}: ${cpu.shutdownReport ?? ''}`);
    return { name, instructions: cpu.instructions, seconds, mips: cpu.instructions / seconds / 1e6 };
  });
}

/** One line per result, for people. */
export function formatCpuBench(results: CpuBenchResult[]): string {
  return results.map((r) => `cpu: ${r.name.padEnd(32)} ${r.mips.toFixed(1).padStart(7)} MIPS (${r.instructions} instructions in ${r.seconds.toFixed(2)} s of CPU time)`).join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${formatCpuBench(runCpuBench())}\n`);
}
