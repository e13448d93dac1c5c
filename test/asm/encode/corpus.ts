// The differential corpus: instruction forms in 16-, 32- and 64-bit mode, generated from one table
// (ROWS) of mnemonics and operand shapes. Each form is structured; print.ts turns it into NASM text.
import type { Operand, OperandSize, ParsedInstruction } from '../../../tools/asm/instruction.ts';
import { addressingForms, mem, sampleMemories } from './corpus-memory.ts';
import { tableCorpus } from './corpus-table.ts';

export type Bits = 16 | 32 | 64;

/** One corpus entry; operand `hereIndex` holds an offset from the instruction's own address. */
export interface CorpusForm {
  ins: ParsedInstruction;
  hereIndex: number;
}

/** A register operand. */
export const reg = (name: string): Operand => ({ kind: 'reg', reg: name });

/** A known, unrelocated immediate, with an optional size keyword, `strict` and branch distance. */
export const imm = (v: bigint | number, size: OperandSize | null = null, strict = false, jump: 'short' | 'near' | null = null): Operand => ({
  kind: 'imm', value: { value: BigInt(v), reloc: null, known: true }, size, strict, jump,
});

/** Immediates at the edges of every size. */
export const EDGE_IMMEDIATES: readonly bigint[] = [
  0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x100n, 0x7fffn, 0x8000n, 0xffffn, 0x10000n, 0x7fffffffn, 0x80000000n, 0xffffffffn,
  0x100000000n, -1n, -128n, -129n, -0x8000n, -0x8001n, -0x80000000n, -0x80000001n, 0x7fffffffffffffffn,
];
const FEW_IMMEDIATES: readonly bigint[] = [1n, 0x7fn, 0x80n, -1n, -129n, 0x12345678n];
const BRANCH_DELTAS: readonly number[] = [0, 2, 0x7f, 0x80, 0x81, 0x82, -0x7e, -0x80, -0x81, 0x1234];

function registers(size: number, bits: Bits): string[] {
  const wide = bits === 64;
  switch (size) {
    case 8: return wide ? ['al', 'cl', 'ah', 'spl', 'r9b'] : ['al', 'cl', 'dh', 'bh'];
    case 16: return wide ? ['ax', 'cx', 'sp', 'r10w'] : ['ax', 'cx', 'sp', 'bp'];
    case 32: return wide ? ['eax', 'ecx', 'esp', 'r8d', 'r13d'] : ['eax', 'ecx', 'esp', 'ebp', 'edi'];
    default: return wide ? ['rax', 'rcx', 'rsp', 'rbp', 'r8', 'r12', 'r13'] : ['rax', 'rcx'];
  }
}

/** Every operand size in every mode: 64-bit operands outside 64-bit mode check NASM's errors. */
const sizesOf = (_bits: Bits): OperandSize[] => [8, 16, 32, 64];

type Shape = (bits: Bits, m: string) => CorpusForm[];
const one = (mnemonic: string, operands: Operand[], prefixes: string[] = [], hereIndex = -1): CorpusForm => ({
  ins: { mnemonic, prefixes, operands }, hereIndex,
});

const regReg: Shape = (bits, m) => sizesOf(bits).flatMap((s) => {
  const rs = registers(s, bits).slice(0, 4);
  return rs.flatMap((a) => rs.map((b) => one(m, [reg(a), reg(b)])));
});
const here = (x: Operand): number => (x.kind === 'mem' && x.addressing === 'rel' ? 1 : -1);
const regMem: Shape = (bits, m) => sizesOf(bits).flatMap((s) => sampleMemories(bits).flatMap((x) => [
  one(m, [reg(registers(s, bits)[1]!), x], [], here(x)), one(m, [reg(registers(s, bits)[0]!), { ...x, size: s }], [], here(x)),
]));
const memReg: Shape = (bits, m) => regMem(bits, m).map((f) => one(m, [f.ins.operands[1]!, f.ins.operands[0]!], [], f.hereIndex === 1 ? 0 : -1));
const regImm: Shape = (bits, m) => sizesOf(bits).flatMap((s) => registers(s, bits).slice(0, 2).flatMap((r) => [
  ...EDGE_IMMEDIATES.map((v) => one(m, [reg(r), imm(v)])),
  one(m, [reg(r), imm(1, 8)]), one(m, [reg(r), imm(1, s)]), one(m, [reg(r), imm(1, s, true)]), one(m, [reg(r), imm(0x80, s)]),
]));
const memImm: Shape = (bits, m) => sizesOf(bits).flatMap((s) => [
  ...FEW_IMMEDIATES.map((v) => one(m, [mem(bits, { size: s }), imm(v)])),
  one(m, [mem(bits, { size: s }), imm(1, s, true)]),
]).concat([8, 16, 32, 64].map((s) => one(m, [mem(bits), imm(3, s as OperandSize)])), [one(m, [mem(bits), imm(3)])]);
const single: Shape = (bits, m) => sizesOf(bits).flatMap((s) => [
  ...registers(s, bits).slice(0, 3).map((r) => one(m, [reg(r)])),
  one(m, [mem(bits, { size: s })]),
]).concat([one(m, [mem(bits)])]);
const shifts: Shape = (bits, m) => sizesOf(bits).flatMap((s) => {
  const r = reg(registers(s, bits)[1]!);
  return [one(m, [r, imm(1)]), one(m, [r, reg('cl')]), one(m, [r, imm(4)]), one(m, [r, imm(0)]), one(m, [r, imm(1, 8)]),
    one(m, [mem(bits, { size: s }), imm(1)]), one(m, [mem(bits, { size: s }), reg('cl')]), one(m, [mem(bits, { size: s }), imm(7)])];
}).concat([one(m, [mem(bits), imm(1)])]);
const none: Shape = (_bits, m) => [one(m, []), one(m, [], ['o16']), one(m, [], ['o32']), one(m, [], ['o64'])];
const imm8: Shape = (_bits, m) => [0, 3, 0x80, 0xff].map((v) => one(m, [imm(v)]));
const imm16: Shape = (_bits, m) => [0, 8, 0x7fff, 0xffff].map((v) => one(m, [imm(v)])).concat([one(m, [imm(8)], ['o16']), one(m, [imm(8)], ['o32'])]);
const branch: Shape = (_bits, m) => BRANCH_DELTAS.flatMap((d) => [
  one(m, [imm(d)], [], 0), one(m, [imm(d, null, false, 'short')], [], 0), one(m, [imm(d, null, false, 'near')], [], 0),
]);
const counted: Shape = (bits, m) => branch(bits, m).concat(
  ['cx', 'ecx', 'rcx'].map((r) => one(m, [imm(-2), reg(r)], [], 0)),
  [one(m, [imm(-2)], ['a16'], 0), one(m, [imm(-2)], ['a32'], 0)],
);
const extend: Shape = (bits, m) => [16, 32, 64].flatMap((d) => [8, 16, 32].flatMap((s) => [
  one(m, [reg(registers(d, bits)[1]!), reg(registers(s, bits)[0]!)]),
  one(m, [reg(registers(d, bits)[0]!), mem(bits, { size: s as OperandSize })]),
])).concat([one(m, [reg('eax'), mem(bits)])]);
const strings: Shape = (bits, m) => [[], ['rep'], ['repe'], ['repne'], ['a16'], ['a32'], ['es'], ['fs', 'rep'], ['o16'], ['o32']]
  .map((p) => one(m, [], p)).concat(bits === 64 ? [one(m, [], ['a64'])] : []);

/** The table: mnemonics and the operand shapes each is tried with. */
const ROWS: readonly [string[], Shape[]][] = [
  [['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'], [regReg, regMem, memReg, regImm, memImm]],
  [['mov'], [regReg, regMem, memReg, regImm, memImm]],
  [['test'], [regReg, regMem, memReg, regImm, memImm]],
  [['xchg'], [regReg, regMem, memReg]],
  [['inc', 'dec', 'not', 'neg', 'mul', 'imul', 'div', 'idiv', 'push', 'pop', 'nop'], [single]],
  [['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'], [shifts]],
  [['bt', 'bts', 'btr', 'btc'], [regReg, memReg, shifts]],
  [['bsf', 'bsr', 'popcnt', 'lzcnt', 'tzcnt', 'cmovz', 'cmovnae', 'cmovg', 'imul', 'lar', 'lsl', 'movbe', 'crc32'], [regReg, regMem]],
  [['xadd', 'cmpxchg', 'arpl'], [regReg, memReg]],
  [['movzx', 'movsx', 'movsxd'], [extend]],
  [['lea', 'bound', 'lds', 'les', 'lfs', 'lgs', 'lss'], [regMem]],
  [['bswap', 'seto', 'setnz', 'setpe', 'setg', 'lldt', 'ltr', 'verr', 'verw', 'lmsw', 'sldt', 'str', 'smsw', 'invlpg',
    'cmpxchg8b', 'cmpxchg16b', 'lgdt', 'lidt', 'sgdt', 'sidt', 'rdfsbase', 'wrfsbase', 'rdgsbase', 'wrgsbase', 'rdrand', 'rdseed'], [single]],
  [['jmp', 'call', 'jz', 'jnz', 'jc', 'jnc', 'ja', 'jnbe', 'jl', 'jge', 'jo', 'js', 'jpe', 'jpo', 'jcxz', 'jecxz', 'jrcxz'], [branch]],
  [['loop', 'loope', 'loopz', 'loopne', 'loopnz'], [counted]],
  [['jmp', 'call'], [single]],
  [['movsb', 'movsw', 'movsd', 'movsq', 'cmpsb', 'cmpsw', 'cmpsd', 'cmpsq', 'scasb', 'scasw', 'scasd', 'scasq', 'lodsb', 'lodsw',
    'lodsd', 'lodsq', 'stosb', 'stosw', 'stosd', 'stosq', 'insb', 'insw', 'insd', 'outsb', 'outsw', 'outsd', 'xlatb', 'xlat'], [strings]],
  [['cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo', 'clc', 'stc', 'cmc', 'cld', 'std', 'cli', 'sti', 'hlt', 'nop', 'pause', 'cpuid',
    'rdtsc', 'rdtscp', 'rdmsr', 'wrmsr', 'rdpmc', 'sysenter', 'sysexit', 'syscall', 'sysret', 'swapgs', 'clts', 'ud2', 'int3', 'int1',
    'icebp', 'into', 'iret', 'iretw', 'iretd', 'iretq', 'pushf', 'popf', 'pushfw', 'popfw', 'pushfd', 'popfd', 'pushfq', 'popfq',
    'pusha', 'popa', 'pushaw', 'popaw', 'pushad', 'popad', 'leave', 'ret', 'retn', 'retf', 'lahf', 'sahf', 'aaa', 'aas', 'daa',
    'das', 'aam', 'aad', 'retw', 'retnw', 'retd', 'retnd', 'retq', 'retnq', 'int01', 'int03', 'vmcall', 'invd', 'wbinvd', 'salc', 'xgetbv', 'xsetbv', 'rsm', 'stac', 'clac', 'lfence', 'mfence', 'sfence'], [none]],
  [['int', 'aam', 'aad'], [imm8]],
  // Without size prefixes: NASM 2.16 stops with an internal assertion on `o64 wait`.
  [['wait', 'fwait'], [(_bits, m) => [one(m, [])]]],
  [['ret', 'retf', 'retn', 'retw', 'retd', 'retq', 'retfw', 'retfd', 'retfq'], [imm16]],
];

function special(bits: Bits): CorpusForm[] {
  const forms: CorpusForm[] = [];
  const m = mem(bits);
  for (const seg of ['es', 'cs', 'ss', 'ds', 'fs', 'gs']) {
    forms.push(one('push', [reg(seg)]), one('pop', [reg(seg)]), one('mov', [reg(seg), reg('ax')]), one('mov', [reg(seg), reg('eax')]),
      one('mov', [reg('ax'), reg(seg)]), one('mov', [reg('eax'), reg(seg)]), one('mov', [reg(seg), m]), one('mov', [m, reg(seg)]),
      one('mov', [reg(seg), { ...m, size: 16 }]), one('mov', [{ ...m, size: 16 }, reg(seg)]));
    if (bits === 64) forms.push(one('mov', [reg(seg), reg('rax')]), one('mov', [reg('rax'), reg(seg)]));
  }
  for (const r of ['cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'dr0', 'dr6', 'dr7']) {
    for (const g of ['eax', 'ebx', 'rax', 'r9']) forms.push(one('mov', [reg(r), reg(g)]), one('mov', [reg(g), reg(r)]));
  }
  for (const [a, b] of [['al', 'dx'], ['ax', 'dx'], ['eax', 'dx'], ['al', 0x60], ['ax', 0x80], ['eax', 0xff]] as const) {
    const port = typeof b === 'number' ? imm(b) : reg(b);
    forms.push(one('in', [reg(a), port]), one('out', [port, reg(a)]));
  }
  for (const [s, o] of [[8, 0x1234], [0x10, 0x12345678]] as const) {
    const far: Operand = { kind: 'far', segment: { value: BigInt(s), reloc: null, known: true }, offset: { value: BigInt(o), reloc: null, known: true } };
    forms.push(one('jmp', [far]), one('call', [far]));
  }
  for (const size of [null, 16, 32, 64] as const) {
    forms.push(one('jmp', [{ ...m, far: true, size }]), one('call', [{ ...m, far: true, size }]));
  }
  forms.push(one('enter', [imm(16), imm(0)]), one('enter', [imm(0xffff), imm(31)]));
  for (const acc of ['al', 'ax', 'eax', 'rax']) {
    for (const x of [mem(bits, { base: null, disp: 0x1234n }), mem(bits, { base: null, disp: 0x1234n, segment: 'fs' }),
      mem(bits, { base: null, disp: 0x1234n, dispSize: 64 }), mem(bits, { base: null, disp: 0x12n, dispSize: 16 }),
      mem(bits, { base: null, disp: 0x12n, dispSize: 32 })]) {
      forms.push(one('mov', [reg(acc), x]), one('mov', [x, reg(acc)]));
    }
  }
  forms.push(one('add', [m, reg('eax')], ['lock']), one('xchg', [m, reg('ecx')], ['lock']), one('add', [m, reg('eax')], ['lock', 'fs']),
    one('mov', [reg('eax'), m], ['a16']), one('mov', [reg('eax'), m], ['a32']), one('sysexit', [], ['o64']), one('sysret', [], ['o64']),
    one('imul', [reg('eax'), imm(5)]), one('imul', [reg('ax'), imm(300)]), one('imul', [reg('eax'), reg('ebx'), imm(300)]),
    one('imul', [reg('rcx'), reg('r9'), imm(-2)]), one('imul', [reg('ecx'), m, imm(7)]), one('mov', [reg('rax'), imm(1, 64, true)]),
    one('shld', [reg('eax'), reg('ebx'), imm(3)]), one('shrd', [m, reg('bx'), reg('cl')]), one('shld', [reg('rax'), reg('r8'), reg('cl')]),
    one('push', [reg('rax')], ['o64']), one('pop', [reg('r9')], ['o64']), one('call', [reg('rax')], ['o64']), one('mov', [reg('rax'), reg('rbx')], ['o64']),
    one('push', [imm(1, 16)]), one('push', [imm(1, 32)]), one('push', [imm(1, 64)]), one('push', [imm(0x1234, 32, true)]));
  for (const v of EDGE_IMMEDIATES) forms.push(one('push', [imm(v)]));
  return forms;
}

const CONDITIONS = ['o', 'no', 'b', 'c', 'nae', 'ae', 'nb', 'nc', 'e', 'z', 'ne', 'nz', 'be', 'na', 'a', 'nbe', 's', 'ns', 'p', 'pe',
  'np', 'po', 'l', 'nge', 'ge', 'nl', 'le', 'ng', 'g', 'nle'];

/** Every condition code spelling with jcc, setcc and cmovcc. */
function conditions(bits: Bits): CorpusForm[] {
  const m = mem(bits);
  return CONDITIONS.flatMap((cc) => [
    one(`j${cc}`, [imm(2)], [], 0), one(`j${cc}`, [imm(0x100)], [], 0), one(`j${cc}`, [imm(-0x80)], [], 0),
    one(`set${cc}`, [reg('al')]), one(`set${cc}`, [{ ...m, size: 8 }]),
    one(`cmov${cc}`, [reg('eax'), reg('ecx')]), one(`cmov${cc}`, [reg('cx'), m]),
  ]);
}

/** REX: every pairing of extended, low and high-byte registers (64-bit mode; errors elsewhere). */
function rexForms(bits: Bits): CorpusForm[] {
  const wide = ['rax', 'rsp', 'rbp', 'r8', 'r12', 'r13', 'r15'];
  const bytes = ['al', 'ah', 'bh', 'spl', 'sil', 'dil', 'bpl', 'r8b', 'r15b', 'r12b'];
  const regs16 = ['ax', 'r9w', 'r15w'];
  const regs32 = ['eax', 'r9d', 'r15d', 'edi'];
  const forms: CorpusForm[] = [];
  for (const m of ['mov', 'add', 'xchg']) {
    for (const a of wide) for (const b of wide) forms.push(one(m, [reg(a), reg(b)]));
    for (const a of bytes) for (const b of bytes) forms.push(one(m, [reg(a), reg(b)]));
  }
  for (const r of [...wide, ...regs16, ...regs32, ...bytes]) {
    forms.push(one('push', [reg(r)]), one('pop', [reg(r)]), one('inc', [reg(r)]), one('mov', [reg(r), imm(5)]),
      one('mov', [reg(r), mem(bits, { base: 'r12', index: 'r13', scale: 2, disp: 0x10n })]));
  }
  for (const base of ['rax', 'r8', 'r12', 'r13', 'rsp', 'rbp']) {
    for (const index of [null, 'rcx', 'r9', 'r12', 'r13']) {
      forms.push(one('add', [mem(bits, { base, index, disp: 0x10n }), reg('r10')]), one('movzx', [reg('r11d'), mem(bits, { base, index, size: 8 })]));
    }
  }
  return forms;
}

/** Instructions whose displacement is followed by an immediate, with RIP-relative addressing. */
function ripForms(bits: Bits): CorpusForm[] {
  const rip = (disp: bigint, size: OperandSize | null): Operand => ({ ...mem(bits, { base: null, disp, addressing: 'rel' }), size });
  return [0x100n, -5n, 0n, 0x7fffn].flatMap((d) => [
    one('mov', [rip(d, 32), imm(0x12345678)], [], 0), one('add', [rip(d, 8), imm(1)], [], 0), one('cmp', [rip(d, 16), imm(0x1234)], [], 0),
    one('bt', [rip(d, 64), imm(3)], [], 0), one('imul', [reg('eax'), rip(d, null), imm(1000)], [], 1), one('lea', [reg('rsi'), rip(d, null)], [], 1),
    one('call', [rip(d, 64)], [], 0), one('jmp', [rip(d, null)], [], 0), one('push', [rip(d, 64)], [], 0), one('inc', [rip(d, 32)], [], 0),
  ]);
}

/** System and miscellaneous forms not covered by the shapes of ROWS. */
function systemForms(bits: Bits): CorpusForm[] {
  const m = mem(bits);
  const forms: CorpusForm[] = [];
  for (const mn of ['lar', 'lsl']) {
    for (const [d, s] of [['eax', 'bx'], ['ax', 'bx'], ['rax', 'bx'], ['rax', 'ebx'], ['eax', 'ebx'], ['rcx', 'r9w']]) forms.push(one(mn, [reg(d!), reg(s!)]));
    forms.push(one(mn, [reg('eax'), { ...m, size: 16 }]));
  }
  for (const p of [[], ['rep'], ['repne'], ['lock'], ['es'], ['fs', 'a32'], ['rep', 'o16']]) {
    forms.push(one('insb', [], p), one('outsd', [], p), one('cmpxchg', [m, reg('ecx')], p), one('xlatb', [], p));
  }
  for (const size of [null, 16, 32, 64] as const) {
    for (const mn of ['sgdt', 'lidt', 'invlpg', 'cmpxchg8b', 'cmpxchg16b', 'lgdt']) forms.push(one(mn, [{ ...m, size }]));
  }
  for (const v of [0, 3, 0x80, 0xff]) forms.push(one('int', [imm(v)]), one('enter', [imm(v * 257), imm(v & 31)]));
  const farPtr: Operand = { kind: 'far', segment: { value: 0x18n, reloc: null, known: true }, offset: { value: 0x12345n, reloc: null, known: true } };
  for (const p of [['o16'], ['o32']]) forms.push(one('jmp', [farPtr], p), one('call', [farPtr], p));
  for (const size of [16, 32] as const) forms.push(one('jmp', [{ ...farPtr, size } as Operand]), one('call', [{ ...farPtr, size } as Operand], ['o32']));
  for (const size of [16, 32, 64] as const) {
    forms.push(one('push', [{ ...m, size }]), one('pop', [{ ...m, size }]), one('call', [{ ...m, size }]), one('jmp', [{ ...m, size }]));
  }
  forms.push(one('lea', [reg('eax'), mem(bits, { base: 'bx', index: 'di', disp: 4n })]), one('lea', [reg('ax'), mem(bits, { base: 'ebx', index: 'ecx', scale: 8 })]),
    one('mov', [mem(bits, { base: 'bp', index: 'si' }), reg('es')]), one('xlatb', [], ['es']), one('bound', [reg('ax'), mem(bits, { base: 'bx' })]));
  forms.push(one('jmp', [{ ...m, far: true }], ['o16']), one('call', [{ ...m, far: true }], ['o32']), one('retf', [imm(8)], ['o16']),
    one('ret', [imm(8)], ['o32']), one('iret', [], ['o32']), one('iret', [], ['o16']), one('pushf', [], ['o32']), one('mov', [reg('eax'), reg('cr0')], ['lock']));
  return forms;
}

/** Every corpus form for `bits`, in a fixed order. */
export function corpus(bits: Bits): CorpusForm[] {
  const forms: CorpusForm[] = [];
  for (const [mnemonics, shapes] of ROWS) {
    for (const m of mnemonics) for (const shape of shapes) forms.push(...shape(bits, m));
  }
  forms.push(...special(bits), ...conditions(bits), ...rexForms(bits), ...systemForms(bits));
  if (bits === 64) forms.push(...ripForms(bits));
  forms.push(...tableCorpus(bits));
  const ripRelative = (x: Operand): boolean => x.kind === 'mem' && x.addressing === 'rel' && x.base === null && x.index === null;
  for (const x of addressingForms(bits)) {
    forms.push({ ins: { mnemonic: 'mov', prefixes: [], operands: [reg('eax'), x] }, hereIndex: ripRelative(x) ? 1 : -1 });
  }
  for (const x of addressingForms(bits).filter((_, i) => i % 7 === 0)) {
    forms.push({ ins: { mnemonic: 'add', prefixes: [], operands: [{ ...x, size: 32 }, imm(0x1234)] }, hereIndex: ripRelative(x) ? 0 : -1 });
  }
  return forms;
}

/** The instruction with its `$`-relative operand turned into an absolute value at `address`. */
export function placed(form: CorpusForm, address: bigint): ParsedInstruction {
  if (form.hereIndex < 0) return form.ins;
  const operands = form.ins.operands.map((op, i): Operand => {
    if (i !== form.hereIndex) return op;
    if (op.kind === 'imm') return { ...op, value: { ...op.value, value: op.value.value + address } };
    if (op.kind === 'mem') return { ...op, disp: { ...op.disp, value: op.disp.value + address } };
    return op;
  });
  return { ...form.ins, operands };
}
