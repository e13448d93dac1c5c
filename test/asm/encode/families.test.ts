// Known encodings, one or more per instruction family; each expectation is also checked against
// real NASM when it is installed, so the table cannot drift from NASM.
import { describe, expect, it } from 'vitest';
import type { Operand } from '../../../tools/asm/instruction.ts';
import { hasRealNasm, realNasm } from '../../helpers/real-nasm.ts';
import { enc, hexOf, imm, mem, reg } from './build.ts';
import type { Bits } from './corpus.ts';
import { printInstruction } from './print.ts';

type Case = [Bits, string, Operand[], string, string[]?];

const far = (segment: number, offset: number): Operand => ({
  kind: 'far', segment: { value: BigInt(segment), reloc: null, known: true }, offset: { value: BigInt(offset), reloc: null, known: true },
});

const CASES: Record<string, Case[]> = {
  'arithmetic and NASM immediate choices': [
    [32, 'add', [reg('eax'), imm(1)], '83c001'],
    [32, 'add', [reg('eax'), imm(0x80)], '0580000000'],
    [32, 'add', [reg('ax'), imm(0xffff)], '6683c0ff'],
    [32, 'add', [reg('al'), imm(1)], '0401'],
    [32, 'add', [mem(32, { base: 'eax' }), imm(1, 8)], '800001'],
    [32, 'add', [mem(32, { base: 'eax' }), imm(1, 32)], '830001'],
    [64, 'add', [reg('rax'), imm(0x80000000)], '480500000080'],
    [32, 'imul', [reg('eax'), imm(5)], '6bc005'],
    [32, 'imul', [reg('eax'), reg('ebx'), imm(300)], '69c32c010000'],
    [32, 'test', [reg('eax'), imm(0x80)], 'a980000000'],
    [32, 'shl', [reg('eax'), imm(1)], 'd1e0'],
    [32, 'sal', [reg('eax'), imm(2)], 'c1e002'],
  ],
  'moves': [
    [32, 'mov', [reg('eax'), reg('ebx')], '89d8'],
    [32, 'mov', [reg('eax'), mem(32, { base: null, disp: 0x1234n })], 'a134120000'],
    [64, 'mov', [reg('eax'), mem(64, { base: null, disp: 0x1234n })], '8b042534120000'],
    [64, 'mov', [reg('rax'), imm(1)], 'b801000000'],
    [64, 'mov', [reg('rax'), imm(-1)], '48c7c0ffffffff'],
    [64, 'mov', [reg('rax'), imm(0x100000000)], '48b80000000001000000'],
    [64, 'mov', [reg('spl'), imm(1)], '40b401'],
    [32, 'mov', [reg('ds'), reg('ax')], '8ed8'],
    [32, 'mov', [reg('ax'), reg('ds')], '668cd8'],
    [32, 'mov', [reg('cr0'), reg('eax')], '0f22c0'],
    [64, 'mov', [reg('cr8'), reg('rax')], '440f22c0'],
    [32, 'mov', [reg('dr7'), reg('eax')], '0f23f8'],
    [32, 'movzx', [reg('eax'), mem(32, { base: 'ebx', size: 8 })], '0fb603'],
    [64, 'movsx', [reg('rax'), reg('eax')], '4863c0'],
  ],
  'addressing': [
    [32, 'mov', [reg('eax'), mem(32, { base: 'eax', index: 'eax' })], '8b0400'],
    [32, 'mov', [reg('eax'), mem(32, { base: null, index: 'eax', scale: 2 })], '8b044500000000'],
    [32, 'mov', [reg('eax'), mem(32, { base: null, index: 'eax' })], '8b040500000000'],
    [32, 'mov', [reg('eax'), mem(32, { base: 'ebp' })], '8b4500'],
    [32, 'mov', [reg('eax'), mem(32, { base: 'esp' })], '8b0424'],
    [32, 'mov', [reg('eax'), mem(32, { base: 'eax', index: 'esp' })], '8b0404'],
    [32, 'mov', [reg('eax'), mem(32, { base: 'eax', disp: 1n, dispSize: 8 })], '8b4001'],
    [32, 'mov', [reg('eax'), mem(32, { base: 'eax', disp: 1n, dispSize: 32 })], '8b8001000000'],
    [32, 'mov', [reg('eax'), mem(32, { base: 'eax', disp: 0xffffffffn })], '8b40ff'],
    [32, 'mov', [reg('eax'), mem(32, { base: 'ebx', segment: 'ds' })], '3e8b03'],
    [16, 'mov', [reg('ax'), mem(16, { base: 'bp' })], '8b4600'],
    [16, 'mov', [reg('ax'), mem(16, { base: 'si', index: 'bx' })], '8b00'],
    [32, 'mov', [reg('eax'), mem(32, { base: 'bx', index: 'si' })], '678b00'],
    [64, 'mov', [reg('eax'), mem(64, { base: 'r13' })], '418b4500'],
    [64, 'mov', [reg('eax'), mem(64, { base: 'eax' })], '678b00'],
    [64, 'mov', [reg('eax'), mem(64, { base: 'r12', index: 'rbp' })], '418b042c'],
  ],
  'stack, flags and returns': [
    [32, 'push', [imm(1)], '6a01'],
    [32, 'push', [imm(1, 32)], '6a01'],
    [32, 'push', [imm(1, 32, true)], '6801000000'],
    [64, 'push', [imm(0x80)], '6880000000'],
    [32, 'push', [reg('fs')], '0fa0'],
    [32, 'pushad', [], '60'],
    [32, 'pushaw', [], '6660'],
    [32, 'pushfw', [], '669c'],
    [64, 'pushf', [], '9c'],
    [32, 'enter', [imm(16), imm(0)], 'c8100000'],
    [32, 'leave', [], 'c9'],
    [32, 'ret', [imm(4)], 'c20400'],
    [32, 'retf', [imm(8)], 'ca0800'],
    [32, 'retfw', [], '66cb'],
    [32, 'inc', [reg('eax')], '40'],
    [64, 'inc', [reg('eax')], 'ffc0'],
  ],
  'system instructions': [
    [32, 'lgdt', [mem(32, { base: 'eax' })], '0f0110'],
    [64, 'lgdt', [mem(64, { base: 'rax' })], '0f0110'],
    [32, 'sidt', [mem(32, { base: 'eax' })], '0f0108'],
    [32, 'lldt', [reg('ax')], '0f00d0'],
    [32, 'ltr', [mem(32, { base: 'eax' })], '0f0018'],
    [32, 'str', [reg('ax')], '660f00c8'],
    [32, 'smsw', [reg('eax')], '0f01e0'],
    [32, 'lmsw', [reg('ax')], '0f01f0'],
    [32, 'lar', [reg('eax'), reg('bx')], '0f02c3'],
    [32, 'verr', [reg('ax')], '0f00e0'],
    [32, 'arpl', [reg('ax'), reg('bx')], '63d8'],
    [32, 'invlpg', [mem(32, { base: 'eax' })], '0f0138'],
    [32, 'cmpxchg8b', [mem(32, { base: 'eax' })], '0fc708'],
    [64, 'cmpxchg16b', [mem(64, { base: 'rax' })], '480fc708'],
    [32, 'rdmsr', [], '0f32'],
    [32, 'wrmsr', [], '0f30'],
    [32, 'cpuid', [], '0fa2'],
    [32, 'rdtsc', [], '0f31'],
    [32, 'rdtscp', [], '0f01f9'],
    [32, 'vmcall', [], '0f01c1'],
    [64, 'swapgs', [], '0f01f8'],
    [32, 'sysenter', [], '0f34'],
    [32, 'sysexit', [], '0f35'],
    [64, 'sysexit', [], '480f35', ['o64']],
    [64, 'sysret', [], '0f07'],
    [64, 'sysret', [], '480f07', ['o64']],
    [64, 'syscall', [], '0f05'],
    [32, 'iret', [], 'cf'],
    [16, 'iretd', [], '66cf'],
    [64, 'iretq', [], '48cf'],
    [32, 'clts', [], '0f06'],
    [32, 'hlt', [], 'f4'],
    [32, 'ud2', [], '0f0b'],
    [64, 'wrfsbase', [reg('rax')], 'f3480faed0'],
  ],
  'interrupts, I/O and strings': [
    [32, 'int', [imm(0x80)], 'cd80'],
    [32, 'int', [imm(3)], 'cd03'],
    [32, 'int3', [], 'cc'],
    [32, 'int1', [], 'f1'],
    [32, 'icebp', [], 'f1'],
    [32, 'into', [], 'ce'],
    [32, 'in', [reg('al'), imm(0x60)], 'e460'],
    [32, 'in', [reg('ax'), reg('dx')], '66ed'],
    [32, 'out', [reg('dx'), reg('eax')], 'ef'],
    [32, 'outsw', [], '666f'],
    [32, 'movsd', [], 'f3a5', ['rep']],
    [32, 'movsd', [], 'f367a5', ['a16', 'rep']],
    [64, 'movsq', [], '48a5'],
    [32, 'xlatb', [], 'd7'],
    [32, 'add', [mem(32, { base: 'eax' }), reg('eax')], 'f00100', ['lock']],
    [32, 'aam', [], 'd40a'],
    [32, 'aad', [imm(16)], 'd510'],
  ],
  'far transfers': [
    [32, 'jmp', [far(8, 0x1234)], 'ea341200000800'],
    [16, 'jmp', [far(8, 0x1234)], 'ea34120800'],
    [32, 'call', [{ ...mem(32, { base: 'eax' }), far: true }], 'ff18'],
    [32, 'call', [{ ...mem(32, { base: 'eax' }), far: true, size: 16 }], '66ff18'],
    [64, 'call', [{ ...mem(64, { base: 'rax' }), far: true }], '48ff18'],
    [32, 'jmp', [{ ...mem(32, { base: 'eax' }), far: true }], 'ff28'],
  ],
};

describe('instruction families', () => {
  for (const [family, cases] of Object.entries(CASES)) {
    it(family, () => {
      for (const [bits, mnemonic, operands, bytes, prefixes] of cases) {
        const text = printInstruction({ mnemonic, prefixes: prefixes ?? [], operands });
        expect(`${bits}: ${text} -> ${hexOf(enc(bits, mnemonic, operands, prefixes))}`).toBe(`${bits}: ${text} -> ${bytes}`);
      }
    });
  }
});

describe.skipIf(!hasRealNasm())('the expectations above', () => {
  it('are what real NASM assembles', () => {
    for (const cases of Object.values(CASES)) {
      for (const [bits, mnemonic, operands, bytes, prefixes] of cases) {
        const text = printInstruction({ mnemonic, prefixes: prefixes ?? [], operands });
        const real = realNasm(`bits ${bits}\n${text}\n`);
        expect(`${text} -> ${real.ok ? Buffer.from(real.bytes).toString('hex') : real.messages}`).toBe(`${text} -> ${bytes}`);
      }
    }
  });
});
