// Differential test of the decoder against iced-x86 on random byte strings, in 16-, 32- and
// 64-bit code (64-bit on both vendors: AMD honours a 66 prefix on near branches): for every
// instruction iced accepts and this CPU model supports, the lengths agree; what iced rejects, or
// what needs features this CPU does not claim, raises #UD here.
import { CpuidFeature, Decoder, DecoderOptions, Mnemonic, Register } from 'iced-x86';
import { describe, expect, it } from 'vitest';
import { CpuFault } from '../../machine/cpu/fault.ts';
import { isImplemented, LEGACY, LONG as LONG_MODE } from '../../machine/cpu/opcodes.ts';
import { CODE, bare } from '../cpu/harness.ts';
import { bare64 } from '../cpu/harness64.ts';
import { prng } from '../cpu/prng.ts';

const SUPPORTED = new Set<number>([
  CpuidFeature.INTEL8086, CpuidFeature.INTEL186, CpuidFeature.INTEL286, CpuidFeature.INTEL386, CpuidFeature.INTEL486,
  CpuidFeature.CPUID, CpuidFeature.TSC, CpuidFeature.MSR, CpuidFeature.CX8, CpuidFeature.SEP, CpuidFeature.CMOV,
  CpuidFeature.MULTIBYTENOP, CpuidFeature.X64, CpuidFeature.CMPXCHG16B, CpuidFeature.SYSCALL,
]);
// Instructions iced files under features this CPU lacks but which it executes anyway, as a P6 does:
// pause is rep nop, x87 escapes decode (and then raise #NM or #UD), vmcall is the native bridge.
// wbnoinvd (F3 0F 09) runs as wbinvd on processors without it.
const TOLERATED = new Set<number>([CpuidFeature.PAUSE, CpuidFeature.FPU, CpuidFeature.FPU387, CpuidFeature.FPU287, CpuidFeature.VMX, CpuidFeature.WBNOINVD]);
// The hint space 0F 0D and 0F 18-0F 1F runs as NOP on processors without the hinted feature.
const isHintNop = (opcode: number) => opcode === 0x10d || (opcode >= 0x118 && opcode <= 0x11f);
// Without BMI1/LZCNT, F3 0F BC and F3 0F BD are bsf and bsr with an ignored rep prefix.
const TOLERATED_MNEMONICS = new Set<number>([Mnemonic.Tzcnt, Mnemonic.Lzcnt]);
const ALWAYS_UD = new Set<number>([Mnemonic.Ud0, Mnemonic.Ud1, Mnemonic.Ud2]);

const LONG = process.env.FUZZ_LONG === '1';
const CASES = LONG ? 2_000_000 : 20_000;

function randomBytes(next: () => number, bits: number): Uint8Array {
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = next() & 0xff;
  const r = next() % 10;
  // Bias towards the interesting parts of the map: two-byte opcodes, prefixes (REX in 64-bit code), groups.
  const prefixes = bits === 64 ? [0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x64, 0x48, 0x41, 0x4c, 0x40] : [0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x2e, 0x26];
  if (r < 3) bytes[0] = 0x0f;
  else if (r < 5) bytes[0] = prefixes[next() % prefixes.length];
  else if (r < 6) bytes[0] = [0x80, 0x81, 0x83, 0xc0, 0xc1, 0xd0, 0xd3, 0xf6, 0xf7, 0xfe, 0xff, 0x8c, 0x8e][next() % 13];
  return bytes;
}

const MODES = [
  { bits: 16, vendor: 'intel' },
  { bits: 32, vendor: 'intel' },
  { bits: 64, vendor: 'intel' },
  { bits: 64, vendor: 'amd' },
] as const;

describe.each(MODES)('decoder vs iced-x86, $bits-bit code ($vendor)', ({ bits, vendor }) => {
  it('agrees on instruction lengths and validity', () => {
    const t = bits === 64 ? bare64('hlt', { vendor }) : bare('hlt', bits === 16 ? { mode: 'real', org: 0x1000 } : {});
    const cpu = t.cpu;
    const at = bits === 16 ? 0x1000 : CODE;
    const tables = bits === 64 ? LONG_MODE : LEGACY;
    const next = prng(bits + (vendor === 'amd' ? 1 : 0));
    let checked = 0;
    for (let n = 0; n < CASES; n++) {
      const bytes = randomBytes(next, bits);
      t.mem.load(at, bytes);
      const decoder = new Decoder(bits, bytes, vendor === 'amd' ? DecoderOptions.AMD : DecoderOptions.None);
      const ins = decoder.decode();
      const icedValid = ins.code !== 0 && !ALWAYS_UD.has(ins.mnemonic);
      const features = icedValid ? Array.from(ins.cpuidFeatures()) : [];
      const length = ins.length;
      const mnemonic = ins.mnemonic;
      // CR8 (the task-priority register, also AMD's lock mov cr0 alias) is not offered: #UD here.
      const cr8 = icedValid && (ins.op0Register === Register.CR8 || ins.op1Register === Register.CR8);
      decoder.free();
      ins.free();
      cpu.eip = at;
      cpu.ripHi = 0;
      let ours: number | CpuFault;
      let implemented = false;
      try {
        const idx = cpu.decode();
        ours = cpu.eip - at;
        implemented = isImplemented(idx, cpu.reg, cpu.mod, cpu.rm, tables);
      } catch (error) {
        if (!(error instanceof CpuFault)) throw error;
        ours = error;
      }
      const hex = Array.from(bytes.slice(0, Math.max(length, 4)), (b) => b.toString(16).padStart(2, '0')).join(' ');
      const supported = icedValid && !cr8 && features.every((f) => SUPPORTED.has(f));
      const tolerated = icedValid && (isHintNop(cpu.opcode) || TOLERATED_MNEMONICS.has(mnemonic) || features.every((f) => SUPPORTED.has(f) || TOLERATED.has(f)));
      if (supported) {
        expect(ours, `${hex}: iced decodes ${length} bytes`).toBe(length);
        expect(implemented, `${hex}: valid but not implemented`).toBe(true);
        checked++;
      } else if (ALWAYS_UD.has(mnemonic)) {
        // ud0/ud1/ud2: #UD when decoded or when executed (ud2 has a row whose handler raises it).
        if (typeof ours === 'number' && implemented) expect(cpu.opcode, hex).toBe(0x10b);
      } else if (typeof ours === 'number' && implemented && cpu.opcode >= 0xd8 && cpu.opcode <= 0xdf) {
        // Without an FPU every escape opcode traps (#NM or #UD), whether or not the x87 defines it.
        if (icedValid) expect(ours, `${hex}: x87 length`).toBe(length);
      } else if (typeof ours === 'number' && implemented) {
        expect(tolerated, `${hex}: iced says ${icedValid ? 'needs unsupported features' : 'invalid'}, but it executes here`).toBe(true);
        expect(ours, `${hex}: length`).toBe(length);
      } else if (typeof ours !== 'number') {
        expect([6, 13], `${hex}: ${ours.describe()}`).toContain(ours.vector);
      }
    }
    expect(checked).toBeGreaterThan(CASES / 4);
  }, LONG ? 3_600_000 : 60_000);
});
