// The priming program: its bytes are its source assembled, it reaches every block form, and run
// as blocks it ends in the same state as run one instruction at a time through the opcode table's
// handlers (so it also checks sequences of forms against the table, stores into code included).
import { describe, expect, it } from 'vitest';
import { Form, Head } from '../../machine/cpu/block-run.ts';
import { formOf } from '../../machine/cpu/fast-forms.ts';
import { PRIMING_ORG, PRIMING_SOURCE, primingCode, primingCpu } from '../../machine/cpu/priming.ts';
import { asm } from '../helpers/asm.ts';

/** Registers, flags and the program's memory (code, data and stack). */
function state(cpu: ReturnType<typeof primingCpu>): unknown {
  return {
    regs: Array.from(cpu.regs.subarray(0, 8)),
    eip: cpu.eip >>> 0,
    eflags: cpu.getEflags() >>> 0,
    memory: Array.from(cpu.mem.ram.subarray(0, 0x6000)),
  };
}

describe('priming program', () => {
  it('is its source assembled', () => {
    expect(Array.from(primingCode())).toEqual(Array.from(asm(PRIMING_SOURCE, { bits: 32, org: PRIMING_ORG })));
  });

  it('has an instruction of every block form', () => {
    const cpu = primingCpu();
    const code = primingCode();
    const words = new Int32Array(8);
    const seen = new Set<number>();
    while (cpu.eip < PRIMING_ORG + code.length) {
      cpu.decodeHandler();
      seen.add(formOf(cpu, words, 0) & Head.FormMask);
    }
    const missing: number[] = [];
    for (let form = 0; form < Form.Count; form++) if (!seen.has(form)) missing.push(form);
    expect(missing).toEqual([]);
  });

  it('ends as blocks in the state single steps through the table reach', () => {
    const blocks = primingCpu();
    expect(blocks.run(1_000_000)).toBe('hlt');
    const steps = primingCpu();
    let count = 0;
    while (!steps.halted && count < 1_000_000) {
      steps.step();
      count++;
    }
    expect(count).toBe(blocks.instructions);
    expect(state(blocks)).toEqual(state(steps));
  });
});
