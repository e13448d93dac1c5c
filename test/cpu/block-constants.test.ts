// The hot paths spell architectural numbers as enum members (literals after the TypeScript
// transform) instead of importing them; each copy must agree with the definition it stands for.
import { describe, expect, it } from 'vitest';
import { Arch } from '../../machine/cpu/block-run.ts';
import { AF, ARITH_FLAGS, CF, CS, EAX, ECX, EDX, ESP, OF, PF, SF, SS, ZF } from '../../machine/cpu/constants.ts';
import { StackReg } from '../../machine/cpu/mem.ts';
import { SIGN } from '../../machine/cpu/ops/operands.ts';
import { FlagBit, LAZY_ADC, LAZY_ADD, LAZY_SBB, LAZY_SUB } from '../../machine/cpu/state.ts';

describe('numbers copied into the hot paths', () => {
  it('the run loop uses the flag bits, lazy kinds, registers and segments of constants.ts and state.ts', () => {
    expect([Arch.CF, Arch.PF, Arch.AF, Arch.ZF, Arch.SF, Arch.OF, Arch.Arith, Arch.Sign32]).toEqual([CF, PF, AF, ZF, SF, OF, ARITH_FLAGS, SIGN[2]]);
    expect([Arch.LazyAdd, Arch.LazyAdc, Arch.LazySub, Arch.LazySbb]).toEqual([LAZY_ADD, LAZY_ADC, LAZY_SUB, LAZY_SBB]);
    expect([Arch.EAX, Arch.ECX, Arch.EDX, Arch.ESP, Arch.CS, Arch.SS]).toEqual([EAX, ECX, EDX, ESP, CS, SS]);
  });

  it('the lazy-flag methods use the flag bits of constants.ts and the LAZY_* kinds', () => {
    expect([FlagBit.CF, FlagBit.PF, FlagBit.AF, FlagBit.ZF, FlagBit.SF, FlagBit.OF, FlagBit.Arith]).toEqual([CF, PF, AF, ZF, SF, OF, ARITH_FLAGS]);
    expect([FlagBit.LazyAdd, FlagBit.LazyAdc, FlagBit.LazySub, FlagBit.LazySbb]).toEqual([LAZY_ADD, LAZY_ADC, LAZY_SUB, LAZY_SBB]);
  });

  it('the stack paths use the ESP and SS numbers of constants.ts', () => {
    expect([StackReg.ESP, StackReg.SS]).toEqual([ESP, SS]);
  });
});
