// The hot paths spell architectural numbers as enum members (literals after the TypeScript
// transform) instead of importing them; each copy must agree with the definition it stands for.
import { describe, expect, it } from 'vitest';
import { Arch, Head, Word } from '../../machine/cpu/block-run.ts';
import { Arch64, Head64, Word64 } from '../../machine/cpu/block-run64.ts';
import { A, H, W } from '../../machine/cpu/called-forms.ts';
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

  it("the 64-bit run loop's copies agree with the 32-bit loop's block layout and with constants.ts", () => {
    expect([Word64.A, Word64.B, Word64.Imm, Word64.Base, Word64.Index, Word64.Seg, Word64.Disp, Word64.Entry, Word64.Size]).toEqual([
      Word.A, Word.B, Word.Imm, Word.Base, Word.Index, Word.Seg, Word.Disp, Word.Entry, Word.Size,
    ]);
    expect([Head64.FormMask, Head64.OpShift, Head64.AShift, Head64.BShift, Head64.EndShift, Head64.OpTest]).toEqual([
      Head.FormMask, Head.OpShift, Head.AShift, Head.BShift, Head.EndShift, Head.OpTest,
    ]);
    expect([Arch64.CF, Arch64.PF, Arch64.AF, Arch64.ZF, Arch64.SF, Arch64.OF, Arch64.Sign32, Arch64.ESP, Arch64.SS]).toEqual([CF, PF, AF, ZF, SF, OF, SIGN[2], ESP, SS]);
  });

  it("the called forms' copies agree with the run loop's", () => {
    expect([W.A, W.B, W.Imm, W.Base, W.Index, W.Seg, W.Disp]).toEqual([Word.A, Word.B, Word.Imm, Word.Base, Word.Index, Word.Seg, Word.Disp]);
    expect([H.OpShift, H.OpTest]).toEqual([Head.OpShift, Head.OpTest]);
    expect([A.LazyAdd, A.LazyAdc, A.LazySub, A.LazySbb, A.Sign32, A.EAX, A.ECX, A.EDX, A.CS, A.SS]).toEqual([
      Arch.LazyAdd, Arch.LazyAdc, Arch.LazySub, Arch.LazySbb, Arch.Sign32, Arch.EAX, Arch.ECX, Arch.EDX, Arch.CS, Arch.SS,
    ]);
  });

  it('the lazy-flag methods use the flag bits of constants.ts and the LAZY_* kinds', () => {
    expect([FlagBit.CF, FlagBit.PF, FlagBit.AF, FlagBit.ZF, FlagBit.SF, FlagBit.OF, FlagBit.Arith]).toEqual([CF, PF, AF, ZF, SF, OF, ARITH_FLAGS]);
    expect([FlagBit.LazyAdd, FlagBit.LazyAdc, FlagBit.LazySub, FlagBit.LazySbb]).toEqual([LAZY_ADD, LAZY_ADC, LAZY_SUB, LAZY_SBB]);
  });

  it('the stack paths use the ESP and SS numbers of constants.ts', () => {
    expect([StackReg.ESP, StackReg.SS]).toEqual([ESP, SS]);
  });
});
