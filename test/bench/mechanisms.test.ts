// The seed-001 microbenchmark: the cost model prices instructions as its sources say, and
// applied to what the CPU really executes it gives seed 001's shape: a system call entered by
// a software interrupt costs more than one entered by a fast system-call instruction, and the
// vDSO's time call, which makes no system call, costs least of all.
import { Decoder, DecoderOptions, type Instruction } from 'iced-x86';
import { beforeAll, describe, expect, it } from 'vitest';
import { I386_MECHANISMS } from '../../kernel/arch/i386/syscall-abis.ts';
import { CALL_GATE_CYCLES_PER_PARAMETER, COST_CLASSES, priceInstruction } from '../../tools/bench/cycle-model.ts';
import { benchMechanisms, type MechanismRow } from '../../tools/bench/mechanisms.ts';
import { BUILD_TIMEOUT_MS } from '../boot-kernel/machine.ts';

function price(bytes: number[], cplBefore: number, cplAfter: number, gateParameters?: number): number {
  const decoder = new Decoder(32, new Uint8Array(bytes), DecoderOptions.None);
  const instruction: Instruction = decoder.decode();
  try {
    return priceInstruction(instruction, { cplBefore, cplAfter, gateParameters }).cycles;
  } finally {
    instruction.free();
    decoder.free();
  }
}

describe('the cost model', () => {
  it("splits seed 001's measured round trips between entry and exit", () => {
    const c = COST_CLASSES;
    expect(c.int.cycles + c.iret.cycles).toBe(610);
    expect(c.callGate.cycles + c.retf.cycles).toBe(473);
    expect(c.sysenter.cycles + c.sysexit.cycles).toBe(99);
  });

  it('prices a transition only when it changes the privilege level', () => {
    expect(price([0xcd, 0x80], 3, 0)).toBe(COST_CLASSES.int.cycles); // int 0x80
    expect(price([0xcf], 0, 3)).toBe(COST_CLASSES.iret.cycles); // iretd
    expect(price([0xcf], 0, 0)).toBe(COST_CLASSES.simple.cycles);
    expect(price([0x9a, 0, 0, 0, 0, 0x33, 0], 3, 0, 6)).toBe(COST_CLASSES.callGate.cycles + 6 * CALL_GATE_CYCLES_PER_PARAMETER); // call 0x33:0
    expect(price([0x0f, 0x34], 3, 0)).toBe(COST_CLASSES.sysenter.cycles);
    expect(price([0x0f, 0x35], 0, 3)).toBe(COST_CLASSES.sysexit.cycles);
  });

  it('prices segment register loads, the bridge call and everything else', () => {
    expect(price([0x8e, 0xd8], 0, 0)).toBe(COST_CLASSES.segmentLoad.cycles); // mov ds, ax
    expect(price([0x1f], 0, 0)).toBe(COST_CLASSES.segmentLoadMemory.cycles); // pop ds
    expect(price([0x0f, 0x01, 0xc1], 0, 0)).toBe(COST_CLASSES.kernel.cycles); // vmcall
    expect(price([0x1e], 0, 0)).toBe(COST_CLASSES.simple.cycles); // push ds
    expect(price([0x89, 0xd8], 3, 3)).toBe(COST_CLASSES.simple.cycles); // mov eax, ebx
  });
});

describe('a getpid round trip through every mechanism, priced', () => {
  let rows: MechanismRow[];
  beforeAll(async () => {
    rows = await benchMechanisms(false);
  }, BUILD_TIMEOUT_MS);

  const uses = (row: MechanismRow, cls: { name: string }): boolean => (row.classes[cls.name]?.count ?? 0) > 0;

  it('has a row for every mechanism of the kernel, each entering the kernel once', () => {
    for (const mechanism of I386_MECHANISMS) {
      const row = rows.find((r) => r.label === `getpid, ${mechanism}`);
      expect(row, mechanism).toBeDefined();
      expect(row!.classes[COST_CLASSES.kernel.name]?.count, mechanism).toBe(1);
      expect(row!.cycles).toBeGreaterThan(row!.instructions);
    }
  });

  it('costs more through a software interrupt than through a fast system-call instruction', () => {
    const interrupts = rows.filter((r) => uses(r, COST_CLASSES.int));
    const fast = rows.filter((r) => uses(r, COST_CLASSES.sysenter) || uses(r, COST_CLASSES.syscall));
    expect(interrupts.length).toBeGreaterThan(0);
    for (const slow of interrupts) for (const quick of fast) expect(slow.cycles, `${slow.label} against ${quick.label}`).toBeGreaterThan(quick.cycles);
  });

  it("costs least for the vDSO's time call, which enters no kernel", () => {
    const time = rows.find((r) => r.label === 'clock_gettime, vDSO');
    if (time === undefined) return; // this kernel maps no vDSO yet
    expect(time.classes[COST_CLASSES.kernel.name]).toBeUndefined();
    for (const other of rows.filter((r) => r !== time)) expect(time.cycles).toBeLessThan(other.cycles);
  });
});
