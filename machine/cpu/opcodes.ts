// The opcode table: one row per instruction form, in the operand notation of the manuals' opcode
// maps (E/G ModRM operands, I immediates, J relative, O offsets, A far pointers, M memory only,
// R register only, S/C/D segment/control/debug registers). The decoder's per-opcode words, the
// dispatch tables and the coverage tests are all built from these rows.
import type { Cpu } from './cpu.ts';
import { D_CHECK, D_GROUP, D_IMM1_SHIFT, D_IMM2_SHIFT, D_IMM_TEST, D_MODRM, D_REGONLY, D_VALID, IMM_B, IMM_FAR, IMM_MOFFS, IMM_W, IMM_Z } from './decode-flags.ts';
import { ud } from './fault.ts';
import * as a from './ops/alu.ts';
import * as bcd from './ops/bcd.ts';
import * as bits from './ops/bits.ts';
import * as ctl from './ops/control.ts';
import * as d from './ops/data.ts';
import * as far from './ops/farops.ts';
import * as io from './ops/io.ts';
import * as md from './ops/muldiv.ts';
import type { Handler } from './ops/operands.ts';
import * as sh from './ops/shift.ts';
import * as st from './ops/stack.ts';
import * as str from './ops/string.ts';
import * as sys from './ops/system.ts';
import * as tb from './ops/tables.ts';

/** A handler for both operand sizes, or a [16-bit, 32-bit] pair. */
export type Impl = Handler | readonly [Handler, Handler];

/**
 * One instruction form: opcode key ("01", "0F AF", "80/0" for ModRM.reg 0, "0F 01 C1" for a
 * whole ModRM byte, "40+r" for eight registers, "70+cc" for sixteen conditions), mnemonic and
 * operands, implementation, and "lock" when a lock prefix is allowed with a memory destination.
 */
export type OpcodeRow = readonly [key: string, text: string, impl: Impl, lock?: 'lock'];

const rows: OpcodeRow[] = [];
const LK = 'lock' as const;

a.ALU_NAMES.forEach((mn, op) => {
  const h = a.ALU[op];
  const base = (op * 8).toString(16).padStart(2, '0');
  const at = (n: number) => (op * 8 + n).toString(16).padStart(2, '0').toUpperCase();
  const lock = op === 7 ? undefined : LK;
  rows.push([base.toUpperCase(), `${mn} Eb,Gb`, h.EbGb, lock]);
  rows.push([at(1), `${mn} Ev,Gv`, h.EvGv, lock]);
  rows.push([at(2), `${mn} Gb,Eb`, h.GbEb]);
  rows.push([at(3), `${mn} Gv,Ev`, h.GvEv]);
  rows.push([at(4), `${mn} AL,Ib`, h.ALIb]);
  rows.push([at(5), `${mn} eAX,Iz`, h.eAXIz]);
  rows.push([`80/${op}`, `${mn} Eb,Ib`, h.EbIb, lock]);
  rows.push([`81/${op}`, `${mn} Ev,Iz`, h.EvIz, lock]);
  rows.push([`82/${op}`, `${mn} Eb,Ib`, h.EbIb, lock]);
  rows.push([`83/${op}`, `${mn} Ev,Ib`, h.EvIb, lock]);
});

sh.SHIFT_NAMES.forEach((mn, op) => {
  const h = sh.SHIFT[op];
  rows.push([`C0/${op}`, `${mn} Eb,Ib`, h.EbIb]);
  rows.push([`C1/${op}`, `${mn} Ev,Ib`, h.EvIb]);
  rows.push([`D0/${op}`, `${mn} Eb,1`, h.Eb1]);
  rows.push([`D1/${op}`, `${mn} Ev,1`, h.Ev1]);
  rows.push([`D2/${op}`, `${mn} Eb,CL`, h.EbCL]);
  rows.push([`D3/${op}`, `${mn} Ev,CL`, h.EvCL]);
});

rows.push(
  ['06', 'push ES', st.pushES], ['07', 'pop ES', st.popES], ['0E', 'push CS', st.pushCS],
  ['16', 'push SS', st.pushSS], ['17', 'pop SS', st.popSS], ['1E', 'push DS', st.pushDS], ['1F', 'pop DS', st.popDS],
  ['27', 'daa', bcd.daa], ['2F', 'das', bcd.das], ['37', 'aaa', bcd.aaa], ['3F', 'aas', bcd.aas],
  ['40+r', 'inc Zv', a.incReg], ['48+r', 'dec Zv', a.decReg],
  ['50+r', 'push Zv', st.pushReg], ['58+r', 'pop Zv', st.popReg],
  ['60', 'pusha', st.pusha], ['61', 'popa', st.popa],
  ['62', 'bound Gv,Ma', ctl.bound], ['63', 'arpl Ew,Gw', tb.arpl],
  ['68', 'push Iz', st.pushIz], ['69', 'imul Gv,Ev,Iz', md.imulGvEvIz],
  ['6A', 'push Ib', st.pushIb], ['6B', 'imul Gv,Ev,Ib', md.imulGvEvIb],
  ['6C', 'insb', str.ins.b], ['6D', 'insw', str.ins.v], ['6E', 'outsb', str.outs.b], ['6F', 'outsw', str.outs.v],
  ['70+cc', 'jcc Jb', ctl.jccJb],
  ['84', 'test Eb,Gb', a.testEbGb], ['85', 'test Ev,Gv', a.testEvGv],
  ['86', 'xchg Eb,Gb', d.xchgEbGb, LK], ['87', 'xchg Ev,Gv', d.xchgEvGv, LK],
  ['88', 'mov Eb,Gb', d.movEbGb], ['89', 'mov Ev,Gv', d.movEvGv], ['8A', 'mov Gb,Eb', d.movGbEb], ['8B', 'mov Gv,Ev', d.movGvEv],
  ['8C/0', 'mov Ev,Sw', d.movEvSw], ['8C/1', 'mov Ev,Sw', d.movEvSw], ['8C/2', 'mov Ev,Sw', d.movEvSw],
  ['8C/3', 'mov Ev,Sw', d.movEvSw], ['8C/4', 'mov Ev,Sw', d.movEvSw], ['8C/5', 'mov Ev,Sw', d.movEvSw],
  ['8D', 'lea Gv,M', d.lea],
  ['8E/0', 'mov Sw,Ew', d.movSwEw], ['8E/2', 'mov Sw,Ew', d.movSwEw], ['8E/3', 'mov Sw,Ew', d.movSwEw],
  ['8E/4', 'mov Sw,Ew', d.movSwEw], ['8E/5', 'mov Sw,Ew', d.movSwEw],
  ['8F/0', 'pop Ev', st.popEv],
  ['90+r', 'xchg Zv,eAX', d.xchgReg],
  ['98', 'cbw', d.cbw], ['99', 'cwd', d.cwd], ['9A', 'call Ap', far.callAp], ['9B', 'wait', sys.fwait],
  ['9C', 'pushf', st.pushf], ['9D', 'popf', st.popf], ['9E', 'sahf', d.sahf], ['9F', 'lahf', d.lahf],
  ['A0', 'mov AL,Ob', d.movALOb], ['A1', 'mov eAX,Ov', d.moveAXOv], ['A2', 'mov Ob,AL', d.movObAL], ['A3', 'mov Ov,eAX', d.movOveAX],
  ['A4', 'movsb', str.movs.b], ['A5', 'movsw', str.movs.v], ['A6', 'cmpsb', str.cmps.b], ['A7', 'cmpsw', str.cmps.v],
  ['A8', 'test AL,Ib', a.testALIb], ['A9', 'test eAX,Iz', a.testeAXIz],
  ['AA', 'stosb', str.stos.b], ['AB', 'stosw', str.stos.v], ['AC', 'lodsb', str.lods.b], ['AD', 'lodsw', str.lods.v],
  ['AE', 'scasb', str.scas.b], ['AF', 'scasw', str.scas.v],
  ['B0+r', 'mov Zb,Ib', d.movRegIb], ['B8+r', 'mov Zv,Iz', d.movRegIz],
  ['C2', 'ret Iw', ctl.retIw], ['C3', 'ret', ctl.ret], ['C4', 'les Gv,Mp', d.les], ['C5', 'lds Gv,Mp', d.lds],
  ['C6/0', 'mov Eb,Ib', d.movEbIb], ['C7/0', 'mov Ev,Iz', d.movEvIz],
  ['C8', 'enter Iw,Ib', st.enter], ['C9', 'leave', st.leave], ['CA', 'retf Iw', far.retfIw], ['CB', 'retf', far.retf],
  ['CC', 'int3', ctl.int3], ['CD', 'int Ib', ctl.intIb], ['CE', 'into', ctl.into], ['CF', 'iret', far.iret],
  ['D4', 'aam Ib', bcd.aam], ['D5', 'aad Ib', bcd.aad], ['D6', 'salc', bits.salc], ['D7', 'xlat', d.xlat],
  ['E0', 'loopne Jb', ctl.loopne], ['E1', 'loope Jb', ctl.loope], ['E2', 'loop Jb', ctl.loop], ['E3', 'jcxz Jb', ctl.jcxz],
  ['E4', 'in AL,Ib', io.inALIb], ['E5', 'in eAX,Ib', io.ineAXIb], ['E6', 'out Ib,AL', io.outIbAL], ['E7', 'out Ib,eAX', io.outIbeAX],
  ['E8', 'call Jz', ctl.callJz], ['E9', 'jmp Jz', ctl.jmpJz], ['EA', 'jmp Ap', far.jmpAp], ['EB', 'jmp Jb', ctl.jmpJb],
  ['EC', 'in AL,DX', io.inALDX], ['ED', 'in eAX,DX', io.ineAXDX], ['EE', 'out DX,AL', io.outDXAL], ['EF', 'out DX,eAX', io.outDXeAX],
  ['F1', 'int1', ctl.int1], ['F4', 'hlt', ctl.hlt], ['F5', 'cmc', ctl.cmc],
  ['F6/0', 'test Eb,Ib', a.testEbIb], ['F6/1', 'test Eb,Ib', a.testEbIb], ['F6/2', 'not Eb', a.notEb, LK], ['F6/3', 'neg Eb', a.negEb, LK],
  ['F6/4', 'mul Eb', md.mulEb], ['F6/5', 'imul Eb', md.imulEb], ['F6/6', 'div Eb', md.divEb], ['F6/7', 'idiv Eb', md.idivEb],
  ['F7/0', 'test Ev,Iz', a.testEvIz], ['F7/1', 'test Ev,Iz', a.testEvIz], ['F7/2', 'not Ev', a.notEv, LK], ['F7/3', 'neg Ev', a.negEv, LK],
  ['F7/4', 'mul Ev', md.mulEv], ['F7/5', 'imul Ev', md.imulEv], ['F7/6', 'div Ev', md.divEv], ['F7/7', 'idiv Ev', md.idivEv],
  ['F8', 'clc', ctl.clc], ['F9', 'stc', ctl.stc], ['FA', 'cli', ctl.cli], ['FB', 'sti', ctl.sti], ['FC', 'cld', ctl.cld], ['FD', 'std', ctl.std],
  ['FE/0', 'inc Eb', a.incEb, LK], ['FE/1', 'dec Eb', a.decEb, LK],
  ['FF/0', 'inc Ev', a.incEv, LK], ['FF/1', 'dec Ev', a.decEv, LK], ['FF/2', 'call Ev', ctl.callEv], ['FF/3', 'call Mp', far.callMp],
  ['FF/4', 'jmp Ev', ctl.jmpEv], ['FF/5', 'jmp Mp', far.jmpMp], ['FF/6', 'push Ev', st.pushEv],
);
for (let i = 0; i < 8; i++) rows.push([`D${(8 + i).toString(16).toUpperCase()}`, 'esc Ev', sys.fpuEscape]);

rows.push(
  ['0F 00/0', 'sldt Ew', tb.sldt], ['0F 00/1', 'str Ew', tb.str], ['0F 00/2', 'lldt Ew', tb.lldt], ['0F 00/3', 'ltr Ew', tb.ltr],
  ['0F 00/4', 'verr Ew', tb.verr], ['0F 00/5', 'verw Ew', tb.verw],
  ['0F 01/0', 'sgdt Ms', tb.sgdt], ['0F 01/1', 'sidt Ms', tb.sidt], ['0F 01/2', 'lgdt Ms', tb.lgdt], ['0F 01/3', 'lidt Ms', tb.lidt],
  ['0F 01/4', 'smsw Ew', sys.smsw], ['0F 01/6', 'lmsw Ew', sys.lmsw], ['0F 01/7', 'invlpg M', sys.invlpg],
  ['0F 01 C1', 'vmcall', sys.vmcall],
  ['0F 02', 'lar Gv,Ew', tb.lar], ['0F 03', 'lsl Gv,Ew', tb.lsl], ['0F 06', 'clts', sys.clts],
  ['0F 08', 'invd', sys.cacheNop], ['0F 09', 'wbinvd', sys.cacheNop], ['0F 0B', 'ud2', sys.ud2],
  ['0F 0D', 'nop Ev', sys.nop], ['0F 18', 'nop Ev', sys.nop],
  ['0F 19', 'nop Ev', sys.nop], ['0F 1A', 'nop Ev', sys.nop], ['0F 1B', 'nop Ev', sys.nop], ['0F 1C', 'nop Ev', sys.nop],
  ['0F 1D', 'nop Ev', sys.nop], ['0F 1E', 'nop Ev', sys.nop], ['0F 1F', 'nop Ev', sys.nop],
  ['0F 20/0', 'mov Rd,Cd', sys.movRdCd], ['0F 20/2', 'mov Rd,Cd', sys.movRdCd], ['0F 20/3', 'mov Rd,Cd', sys.movRdCd], ['0F 20/4', 'mov Rd,Cd', sys.movRdCd],
  ['0F 22/0', 'mov Cd,Rd', sys.movCdRd], ['0F 22/2', 'mov Cd,Rd', sys.movCdRd], ['0F 22/3', 'mov Cd,Rd', sys.movCdRd], ['0F 22/4', 'mov Cd,Rd', sys.movCdRd],
  ['0F 21', 'mov Rd,Dd', sys.movRdDd], ['0F 23', 'mov Dd,Rd', sys.movDdRd],
  ['0F 30', 'wrmsr', sys.wrmsr], ['0F 31', 'rdtsc', sys.rdtsc], ['0F 32', 'rdmsr', sys.rdmsr],
  ['0F 34', 'sysenter', sys.sysenter], ['0F 35', 'sysexit', sys.sysexit],
  ['0F 40+cc', 'cmovcc Gv,Ev', bits.cmovcc], ['0F 80+cc', 'jcc Jz', ctl.jccJz], ['0F 90+cc', 'setcc Eb', bits.setcc],
  ['0F A0', 'push FS', st.pushFS], ['0F A1', 'pop FS', st.popFS], ['0F A2', 'cpuid', sys.cpuidOp],
  ['0F A3', 'bt Ev,Gv', bits.btEvGv], ['0F A4', 'shld Ev,Gv,Ib', sh.shldEvGvIb], ['0F A5', 'shld Ev,Gv,CL', sh.shldEvGvCL],
  ['0F A8', 'push GS', st.pushGS], ['0F A9', 'pop GS', st.popGS], ['0F AB', 'bts Ev,Gv', bits.btsEvGv, LK],
  ['0F AC', 'shrd Ev,Gv,Ib', sh.shrdEvGvIb], ['0F AD', 'shrd Ev,Gv,CL', sh.shrdEvGvCL], ['0F AF', 'imul Gv,Ev', md.imulGvEv],
  ['0F B0', 'cmpxchg Eb,Gb', d.cmpxchgEbGb, LK], ['0F B1', 'cmpxchg Ev,Gv', d.cmpxchgEvGv, LK],
  ['0F B2', 'lss Gv,Mp', d.lss], ['0F B3', 'btr Ev,Gv', bits.btrEvGv, LK], ['0F B4', 'lfs Gv,Mp', d.lfs], ['0F B5', 'lgs Gv,Mp', d.lgs],
  ['0F B6', 'movzx Gv,Eb', d.movzxGvEb], ['0F B7', 'movzx Gv,Ew', d.movzxGvEw],
  ['0F BA/4', 'bt Ev,Ib', bits.btEvIb], ['0F BA/5', 'bts Ev,Ib', bits.btsEvIb, LK], ['0F BA/6', 'btr Ev,Ib', bits.btrEvIb, LK], ['0F BA/7', 'btc Ev,Ib', bits.btcEvIb, LK],
  ['0F BB', 'btc Ev,Gv', bits.btcEvGv, LK], ['0F BC', 'bsf Gv,Ev', bits.bsfGvEv], ['0F BD', 'bsr Gv,Ev', bits.bsrGvEv],
  ['0F BE', 'movsx Gv,Eb', d.movsxGvEb], ['0F BF', 'movsx Gv,Ew', d.movsxGvEw],
  ['0F C0', 'xadd Eb,Gb', d.xaddEbGb, LK], ['0F C1', 'xadd Ev,Gv', d.xaddEvGv, LK],
  ['0F C7/1', 'cmpxchg8b Mq', d.cmpxchg8b, LK], ['0F C8+r', 'bswap Zv', bits.bswap],
);

/** Every instruction form this CPU implements. */
export const OPCODE_ROWS: readonly OpcodeRow[] = rows;

/** Decode word per table index (opcode byte, plus 0x100 for the 0F map). */
export const DECODE = new Int32Array(512);
/** Per table index: ModRM.reg values for which lock is allowed / memory is required / a row exists. */
export const LOCK_MASK = new Uint8Array(512);
export const MEM_ONLY = new Uint8Array(512);
export const GROUP_VALID = new Uint8Array(512);
const logUndefined = (c: Cpu): void => {
  const op = c.opcode;
  c.logOnce(`undefined or unimplemented opcode ${op >= 0x100 ? '0F ' : ''}${(op & 0xff).toString(16).padStart(2, '0').toUpperCase()}: raising #UD`);
  ud();
};

/** Handlers by (index << 1 | o32) and by ((index << 3 | reg) << 1 | o32); dense arrays, pre-filled. */
export const HANDLERS: Handler[] = new Array<Handler>(1024).fill(logUndefined);
export const GROUP_HANDLERS: Handler[] = new Array<Handler>(8192).fill(logUndefined);

const IMM_OF: Record<string, number> = { Ib: IMM_B, Iw: IMM_W, Iz: IMM_Z, Jb: IMM_B, Jz: IMM_Z, Ob: IMM_MOFFS, Ov: IMM_MOFFS, Ap: IMM_FAR };

/** Splits a row key into its table indexes, ModRM.reg (-1 if none) and full ModRM byte (-1 if none). */
export function parseKey(key: string): { indexes: number[]; reg: number; modrm: number } {
  const [opPart, regPart] = key.split('/');
  const parts = opPart.trim().split(/\s+/);
  let count = 1;
  let last = parts[parts.length - 1];
  if (last.endsWith('+r')) count = 8;
  if (last.endsWith('+cc')) count = 16;
  last = last.replace(/\+(r|cc)$/, '');
  parts[parts.length - 1] = last;
  let modrm = -1;
  if (parts.length === 3) modrm = parseInt(parts.pop()!, 16);
  const first = parts.length === 2 ? 0x100 | parseInt(parts[1], 16) : parseInt(parts[0], 16);
  const indexes = Array.from({ length: count }, (_, i) => first + i);
  const reg = regPart !== undefined ? Number(regPart) : modrm >= 0 ? (modrm >>> 3) & 7 : -1;
  return { indexes, reg, modrm };
}

function decodeWord(args: string[], hasReg: boolean): number {
  let w = D_VALID;
  if (hasReg || args.some((t) => /^(E[bvwd]|G[bvwd]|M[apsq]?|Sw|Cd|Dd|Rd)$/.test(t))) w |= D_MODRM;
  const imms = args.map((t) => IMM_OF[t] ?? 0).filter((k) => k !== 0);
  if (imms[0]) w |= imms[0] << D_IMM1_SHIFT;
  if (imms[1]) w |= imms[1] << D_IMM2_SHIFT;
  if (args.includes('Rd')) w |= D_REGONLY;
  return w;
}

const regForms = new Map<number, Map<number, Impl>>();
const memForms = new Map<number, Impl>();

for (const [key, text, impl, lock] of rows) {
  const { indexes, reg, modrm } = parseKey(key);
  const space = text.indexOf(' ');
  const args = space < 0 ? [] : text.slice(space + 1).split(',');
  for (const idx of indexes) {
    const word = decodeWord(args, reg >= 0);
    if (reg < 0) {
      if (DECODE[idx] !== 0) throw new Error(`opcode table: ${key} defined twice`);
      DECODE[idx] = word | (lock ? D_CHECK : 0) | (args.some((t) => t.startsWith('M')) ? D_CHECK : 0);
      if (lock) LOCK_MASK[idx] = 0xff;
      if (args.some((t) => t.startsWith('M'))) MEM_ONLY[idx] = 0xff;
      HANDLERS[idx << 1] = typeof impl === 'function' ? impl : impl[0];
      HANDLERS[(idx << 1) | 1] = typeof impl === 'function' ? impl : impl[1];
      continue;
    }
    const slot = (idx << 3) | reg;
    if (modrm >= 0) {
      const forms = regForms.get(slot) ?? new Map<number, Impl>();
      forms.set(modrm & 7, impl);
      regForms.set(slot, forms);
    } else {
      memForms.set(slot, impl);
      if (args.some((t) => t.startsWith('M'))) MEM_ONLY[idx] |= 1 << reg;
    }
    const prev = DECODE[idx];
    const merged = word | D_GROUP | D_CHECK;
    if (prev !== 0 && (prev & ~D_IMM_TEST) !== merged && (idx === 0xf6 || idx === 0xf7)) {
      DECODE[idx] = (prev | merged) | D_IMM_TEST;
    } else if (prev !== 0 && (prev & ~D_IMM_TEST) !== merged) {
      throw new Error(`opcode table: group ${key} disagrees with its siblings on operands`);
    } else {
      DECODE[idx] = merged | (prev & D_IMM_TEST);
    }
    GROUP_VALID[idx] |= 1 << reg;
    if (lock) LOCK_MASK[idx] |= 1 << reg;
  }
}

const pick = (impl: Impl, o32: number): Handler => (typeof impl === 'function' ? impl : impl[o32]);

for (const slot of new Set([...memForms.keys(), ...regForms.keys()])) {
  const mem = memForms.get(slot);
  const regs = regForms.get(slot);
  if (regs) MEM_ONLY[slot >>> 3] &= ~(1 << (slot & 7));
  for (const o32 of [0, 1]) {
    const memHandler = mem ? pick(mem, o32) : ud;
    let h: Handler = memHandler;
    if (regs) {
      const byRm: Handler[] = [0, 1, 2, 3, 4, 5, 6, 7].map((rm) => {
        const r = regs.get(rm);
        return r ? pick(r, o32) : ud;
      });
      h = (c) => (c.mod === 3 ? byRm[c.rm](c) : memHandler(c));
    }
    GROUP_HANDLERS[(slot << 1) | o32] = h;
  }
}


/** Whether the decoded instruction (table index, ModRM fields) has a row in the table. */
export function isImplemented(idx: number, reg: number, mod: number, rm: number): boolean {
  const info = DECODE[idx];
  if (info === 0) return false;
  if ((info & D_GROUP) === 0) return true;
  const slot = (idx << 3) | reg;
  const regs = regForms.get(slot);
  if (mod === 3 && regs) return regs.has(rm);
  return memForms.has(slot);
}
