// Hazard: ring 3 reaching ring-0 state, or a fault in one process hurting another. Every
// privileged instruction (and the kernel's bridge instruction), the loads and returns that would
// raise the privilege level, and `int n` for all 256 vectors, each from its own child of
// ring3.asm: the kernel must report the fault the manual names (vector and error code) for that
// child alone, and the parent and the shell go on. Run through every mechanism's userland.
import { beforeAll, describe, expect, it } from 'vitest';
import { KERNEL_BASE } from '../../kernel/arch/i386/address-space.ts';
import { trapReportName } from '../../kernel/arch/i386/traps.ts';
import { symbol } from '../../kernel/arch/i386/image.ts';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import { signalForException, Vector } from '../../kernel/arch/exceptions.ts';
import { signalName } from '../../kernel/proc/signals.ts';
import type { SystemBuild } from '../../tools/build/system.ts';
import { BUILD_TIMEOUT_MS, buildTestSystem, TestMachine } from './machine.ts';

/** A fault the kernel reports, or a gate ring 3 may use (the CPU enters it). */
type Expected = { readonly vector: number; readonly error: number } | 'gate';

const KERNEL_CS = 0x08;
const KERNEL_DS = 0x10;
const GP0 = { vector: Vector.GP, error: 0 };

/** Intel SDM vol. 2: each of these faults with #GP(0) outside ring 0 (IOPL 0, every port denied). */
const GP_ZERO = [
  'cli', 'sti', 'hlt', 'in-dx', 'in-imm', 'out-dx', 'out-imm', 'insb', 'outsb', 'lgdt', 'lidt', 'lldt', 'ltr',
  'mov-from-cr0', 'mov-to-cr0', 'mov-from-cr2', 'mov-from-cr3', 'mov-to-cr3', 'mov-to-cr4', 'mov-from-dr7', 'mov-to-dr7',
  'clts', 'wbinvd', 'invd', 'wrmsr', 'rdmsr', 'invlpg', 'sysexit',
];

/** The IDT's gate for `vector`, read from guest memory: type, DPL, present. */
function gate(m: TestMachine, build: SystemBuild, vector: number): { type: number; dpl: number; present: boolean } {
  const high = m.pc.memory.read32(symbol(build.kernel, 'idt') - KERNEL_BASE + vector * 8 + 4);
  return { type: (high >>> 8) & 0x1f, dpl: (high >>> 13) & 3, present: (high & 0x8000) !== 0 };
}

/**
 * What a software interrupt to `vector` does from CPL 3 (SDM vol. 2, INT n): a descriptor that is
 * no interrupt, trap or task gate, or one whose DPL is below 3, is #GP with the IDT error code
 * vector*8+2; a usable gate that is not present is #NP with the same code; otherwise it is entered.
 */
function softwareInterrupt(m: TestMachine, build: SystemBuild, vector: number): Expected {
  const g = gate(m, build, vector);
  const error = vector * 8 + 2;
  if (![0x5, 0x6, 0x7, 0xe, 0xf].includes(g.type) || g.dpl < 3) return { vector: Vector.GP, error };
  if (!g.present) return { vector: Vector.NP, error };
  return vector < 32 ? { vector, error: 0 } : 'gate';
}

/** Every case of ring3.asm, in its order, with what must happen. */
function expectations(m: TestMachine, build: SystemBuild): Map<string, Expected> {
  return new Map<string, Expected>([
    ...GP_ZERO.map((name): [string, Expected] => [name, GP0]),
    ['vmcall', { vector: Vector.UD, error: 0 }], // the bridge: #UD without VMX operation
    ['mov-ds-kernel', { vector: Vector.GP, error: KERNEL_DS }], // DPL 0 data segment: #GP(selector)
    ['call-far-kernel', { vector: Vector.GP, error: KERNEL_CS }], // DPL 0 non-conforming code: #GP(selector)
    ['iret-to-ring0', { vector: Vector.GP, error: KERNEL_CS }], // return CS RPL below CPL: #GP(selector)
    ['int3', softwareInterrupt(m, build, Vector.BP)],
    ['into', softwareInterrupt(m, build, Vector.OF)],
    ['int1', { vector: Vector.DB, error: 0 }], // ICEBP: delivered without the DPL check
    ...Array.from({ length: 256 }, (_, n): [string, Expected] => [`int-${n}`, softwareInterrupt(m, build, n)]),
  ]);
}

describe.each(I386_MECHANISMS)('ring 3 attempts through %s', (abi) => {
  let build: SystemBuild;
  beforeAll(async () => {
    build = await buildTestSystem(abi);
  }, BUILD_TIMEOUT_MS);

  it('every privileged instruction and int 0..255 gets the fault the manual names, and only that child dies', () => {
    const m = new TestMachine(build);
    m.runToPrompt();
    const out = m.command('ring3');
    const expected = expectations(m, build);
    const reports = new Map<number, string>();
    for (const [, pid, what] of out.matchAll(/^traps: ring3\[(\d+)\] (.*)$/gm)) reports.set(Number(pid), what!);
    const cases = [...out.matchAll(/^ring3: (\S+) pid (\d+) (.*)$/gm)].map(([, name, pid, end]) => ({ name: name!, pid: Number(pid), end: end! }));
    expect(cases.map((c) => c.name)).toEqual([...expected.keys()]);

    const wrong: string[] = [];
    for (const c of cases) {
      const e = expected.get(c.name)!;
      const report = reports.get(c.pid);
      if (e === 'gate') {
        // Entered: what the gate then does is its mechanism's business, but the CPU did not refuse it.
        const vector = Number(c.name.slice('int-'.length));
        if (report?.endsWith(` error:${(vector * 8 + 2).toString(16)}`)) wrong.push(`${c.name}: ${report}, expected to enter the gate`);
        continue;
      }
      // The kernel's line, as Linux words it; #DB (int1) gets none.
      const name = trapReportName(e.vector);
      const signal = signalName(signalForException(e.vector)!);
      const reported = name === null ? report === undefined : report !== undefined && report.startsWith(`${name} ip:`) && report.endsWith(` error:${e.error.toString(16)}`);
      if (!reported || c.end !== `killed by ${signal}`) wrong.push(`${c.name}: ${report ?? 'no kernel report'}; ${c.end}; expected ${name ?? 'no report'} error ${e.error.toString(16)}, ${signal}`);
    }
    expect(wrong).toEqual([]);
    // int 0x80 ran exit(0x42) from the registers the stub set.
    expect(cases.find((c) => c.name === 'int-128')?.end).toBe('exited 66');
    expect(out).toContain(`ring3: ${expected.size} cases, the parent survived every one\n`);
    expect(m.command('hello')).toBe('hello\nHello, world!\n$ ');
    expect(m.system.kernel!.processes.size).toBe(1);
    expect(m.system.panicMessage).toBeNull();
  }, 0); // bounded by guest instructions, not by the wall clock
});
