// The opcode table: one row per instruction form, in the operand notation of the manuals' opcode
// maps (E/G ModRM operands, I immediates, J relative, O offsets, A far pointers, M memory only,
// R register only, S/C/D segment/control/debug registers). The decoder's per-opcode words, the
// dispatch tables and the coverage tests are all built from these rows.
import type { Cpu } from './cpu.ts';
import { EAX, EBX, ECX, EDX } from './constants.ts';
import { D_CHECK, D_GROUP, D_IMM1_SHIFT, D_IMM2_SHIFT, D_IMM_TEST, D_MODRM, D_REGONLY, D_VALID, IMM_B, IMM_FAR, IMM_MOFFS, IMM_V, IMM_W, IMM_Z } from './decode-flags.ts';
import type { CpuDecoder } from './decoder.ts';
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
import * as sc from './syscall.ts';
import * as a64 from './ops64/alu.ts';
import * as far64 from './ops64/far.ts';
import * as tb64 from './ops64/tables.ts';
import * as bits64 from './ops64/bits.ts';
import * as ctl64 from './ops64/control.ts';
import * as d64 from './ops64/data.ts';
import * as md64 from './ops64/muldiv.ts';
import * as sh64 from './ops64/shift.ts';
import * as st64 from './ops64/stack.ts';
import * as str64 from './ops64/string.ts';
import * as sys64 from './ops64/system.ts';
import { zeroExtending as zx } from './ops64/system.ts';

/** A handler for every operand size, or one per size: [16-bit, 32-bit], and in 64-bit mode [16, 32, 64]. */
export type Impl = Handler | readonly [Handler, Handler] | readonly [Handler, Handler, Handler];

/**
 * One instruction form: opcode key ("01", "0F AF", "80/0" for ModRM.reg 0, "0F 01 C1" for a
 * whole ModRM byte, "40+r" for eight registers, "70+cc" for sixteen conditions), mnemonic and
 * operands, implementation, and flags: "lock" when a lock prefix is allowed with a memory
 * destination; in 64-bit mode rows also "d64" (64-bit default operand size) and "f64" (a near
 * branch: 64-bit on Intel whatever a 66 prefix says, 16-bit with it on AMD).
 */
export type OpcodeRow = readonly [key: string, text: string, impl: Impl, flags?: string];

const rows: OpcodeRow[] = [];
/** The forms of 64-bit mode: where a form exists in both, its row is written next to the other mode's. */
const rows64: OpcodeRow[] = [];
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
  const q = a64.ALU64[op];
  rows64.push(
    [base.toUpperCase(), `${mn} Eb,Gb`, q.EbGb, lock], [at(1), `${mn} Ev,Gv`, q.EvGv, lock], [at(2), `${mn} Gb,Eb`, q.GbEb],
    [at(3), `${mn} Gv,Ev`, q.GvEv], [at(4), `${mn} AL,Ib`, q.ALIb], [at(5), `${mn} eAX,Iz`, q.eAXIz],
    [`80/${op}`, `${mn} Eb,Ib`, q.EbIb, lock], [`81/${op}`, `${mn} Ev,Iz`, q.EvIz, lock], [`83/${op}`, `${mn} Ev,Ib`, q.EvIb, lock],
  );
});

sh.SHIFT_NAMES.forEach((mn, op) => {
  const h = sh.SHIFT[op];
  rows.push([`C0/${op}`, `${mn} Eb,Ib`, h.EbIb]);
  rows.push([`C1/${op}`, `${mn} Ev,Ib`, h.EvIb]);
  rows.push([`D0/${op}`, `${mn} Eb,1`, h.Eb1]);
  rows.push([`D1/${op}`, `${mn} Ev,1`, h.Ev1]);
  rows.push([`D2/${op}`, `${mn} Eb,CL`, h.EbCL]);
  rows.push([`D3/${op}`, `${mn} Ev,CL`, h.EvCL]);
  const q = sh64.SHIFT64[op];
  rows64.push(
    [`C0/${op}`, `${mn} Eb,Ib`, q.EbIb], [`C1/${op}`, `${mn} Ev,Ib`, q.EvIb], [`D0/${op}`, `${mn} Eb,1`, q.Eb1],
    [`D1/${op}`, `${mn} Ev,1`, q.Ev1], [`D2/${op}`, `${mn} Eb,CL`, q.EbCL], [`D3/${op}`, `${mn} Ev,CL`, q.EvCL],
  );
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
  ['0F 05', 'syscall', sc.syscall], ['0F 07', 'sysret', sc.sysret],
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

// 64-bit mode. Absent there (#UD): push/pop of ES CS SS DS, daa das aaa aas, pusha popa, bound,
// 82, call/jmp far with an immediate pointer, les lds, into, aam aad salc; 40-4F are REX prefixes.
rows64.push(
  ['50+r', 'push Zv', st64.pushReg, 'd64'], ['58+r', 'pop Zv', st64.popReg, 'd64'],
  ['63', 'movsxd Gv,Ed', d64.movsxd],
  ['68', 'push Iz', st64.pushIz, 'd64'], ['69', 'imul Gv,Ev,Iz', md64.imulGvEvIz],
  ['6A', 'push Ib', st64.pushIb, 'd64'], ['6B', 'imul Gv,Ev,Ib', md64.imulGvEvIb],
  ['6C', 'insb', str64.ins.b], ['6D', 'insw', str64.ins.v], ['6E', 'outsb', str64.outs.b], ['6F', 'outsw', str64.outs.v],
  ['70+cc', 'jcc Jb', ctl64.jccJb, 'f64'],
  ['84', 'test Eb,Gb', a64.testEbGb], ['85', 'test Ev,Gv', a64.testEvGv],
  ['86', 'xchg Eb,Gb', d64.xchgEbGb, LK], ['87', 'xchg Ev,Gv', d64.xchgEvGv, LK],
  ['88', 'mov Eb,Gb', d64.movEbGb], ['89', 'mov Ev,Gv', d64.movEvGv], ['8A', 'mov Gb,Eb', d64.movGbEb], ['8B', 'mov Gv,Ev', d64.movGvEv],
  ['8C/0', 'mov Ev,Sw', d64.movEvSw], ['8C/1', 'mov Ev,Sw', d64.movEvSw], ['8C/2', 'mov Ev,Sw', d64.movEvSw],
  ['8C/3', 'mov Ev,Sw', d64.movEvSw], ['8C/4', 'mov Ev,Sw', d64.movEvSw], ['8C/5', 'mov Ev,Sw', d64.movEvSw],
  ['8D', 'lea Gv,M', d64.lea],
  ['8E/0', 'mov Sw,Ew', d64.movSwEw], ['8E/2', 'mov Sw,Ew', d64.movSwEw], ['8E/3', 'mov Sw,Ew', d64.movSwEw],
  ['8E/4', 'mov Sw,Ew', d64.movSwEw], ['8E/5', 'mov Sw,Ew', d64.movSwEw],
  ['8F/0', 'pop Ev', st64.popEv, 'd64'],
  ['90+r', 'xchg Zv,eAX', d64.xchgReg],
  ['98', 'cbw', d64.cbw], ['99', 'cwd', d64.cwd], ['9B', 'wait', sys.fwait],
  ['9C', 'pushf', st64.pushf, 'd64'], ['9D', 'popf', st64.popf, 'd64'], ['9E', 'sahf', d.sahf], ['9F', 'lahf', d.lahf],
  ['A0', 'mov AL,Ob', d64.movALOb], ['A1', 'mov eAX,Ov', d64.moveAXOv], ['A2', 'mov Ob,AL', d64.movObAL], ['A3', 'mov Ov,eAX', d64.movOveAX],
  ['A4', 'movsb', str64.movs.b], ['A5', 'movsw', str64.movs.v], ['A6', 'cmpsb', str64.cmps.b], ['A7', 'cmpsw', str64.cmps.v],
  ['A8', 'test AL,Ib', a64.testALIb], ['A9', 'test eAX,Iz', a64.testeAXIz],
  ['AA', 'stosb', str64.stos.b], ['AB', 'stosw', str64.stos.v], ['AC', 'lodsb', str64.lods.b], ['AD', 'lodsw', str64.lods.v],
  ['AE', 'scasb', str64.scas.b], ['AF', 'scasw', str64.scas.v],
  ['B0+r', 'mov Zb,Ib', d64.movRegIb], ['B8+r', 'mov Zv,Iv', d64.movRegIv],
  ['C2', 'ret Iw', ctl64.retIw, 'f64'], ['C3', 'ret', ctl64.ret, 'f64'],
  ['C6/0', 'mov Eb,Ib', d64.movEbIb], ['C7/0', 'mov Ev,Iz', d64.movEvIz],
  ['C8', 'enter Iw,Ib', st64.enter, 'd64'], ['C9', 'leave', st64.leave, 'd64'], ['CA', 'retf Iw', far64.retfIw], ['CB', 'retf', far64.retf],
  ['CC', 'int3', ctl.int3], ['CD', 'int Ib', ctl.intIb], ['CF', 'iret', far64.iret],
  ['D7', 'xlat', d64.xlat],
  ['E0', 'loopne Jb', ctl64.loopne, 'f64'], ['E1', 'loope Jb', ctl64.loope, 'f64'], ['E2', 'loop Jb', ctl64.loop, 'f64'], ['E3', 'jrcxz Jb', ctl64.jrcxz, 'f64'],
  ['E4', 'in AL,Ib', io.inALIb], ['E5', 'in eAX,Ib', [io.ineAXIb, zx(io.ineAXIb, EAX), zx(io.ineAXIb, EAX)]],
  ['E6', 'out Ib,AL', io.outIbAL], ['E7', 'out Ib,eAX', io.outIbeAX],
  ['E8', 'call Jz', ctl64.callJz, 'f64'], ['E9', 'jmp Jz', ctl64.jmpJz, 'f64'], ['EB', 'jmp Jb', ctl64.jmpJb, 'f64'],
  ['EC', 'in AL,DX', io.inALDX], ['ED', 'in eAX,DX', [io.ineAXDX, zx(io.ineAXDX, EAX), zx(io.ineAXDX, EAX)]],
  ['EE', 'out DX,AL', io.outDXAL], ['EF', 'out DX,eAX', io.outDXeAX],
  ['F1', 'int1', ctl.int1], ['F4', 'hlt', ctl.hlt], ['F5', 'cmc', ctl.cmc],
  ['F6/0', 'test Eb,Ib', a64.testEbIb], ['F6/1', 'test Eb,Ib', a64.testEbIb], ['F6/2', 'not Eb', a64.notEb, LK], ['F6/3', 'neg Eb', a64.negEb, LK],
  ['F6/4', 'mul Eb', md64.mulEb], ['F6/5', 'imul Eb', md64.imulEb], ['F6/6', 'div Eb', md64.divEb], ['F6/7', 'idiv Eb', md64.idivEb],
  ['F7/0', 'test Ev,Iz', a64.testEvIz], ['F7/1', 'test Ev,Iz', a64.testEvIz], ['F7/2', 'not Ev', a64.notEv, LK], ['F7/3', 'neg Ev', a64.negEv, LK],
  ['F7/4', 'mul Ev', md64.mulEv], ['F7/5', 'imul Ev', md64.imulEv], ['F7/6', 'div Ev', md64.divEv], ['F7/7', 'idiv Ev', md64.idivEv],
  ['F8', 'clc', ctl.clc], ['F9', 'stc', ctl.stc], ['FA', 'cli', ctl.cli], ['FB', 'sti', ctl.sti], ['FC', 'cld', ctl.cld], ['FD', 'std', ctl.std],
  ['FE/0', 'inc Eb', a64.incEb, LK], ['FE/1', 'dec Eb', a64.decEb, LK],
  ['FF/0', 'inc Ev', a64.incEv, LK], ['FF/1', 'dec Ev', a64.decEv, LK], ['FF/2', 'call Ev', ctl64.callEv, 'f64'], ['FF/3', 'call Mp', far64.callMp],
  ['FF/4', 'jmp Ev', ctl64.jmpEv, 'f64'], ['FF/5', 'jmp Mp', far64.jmpMp], ['FF/6', 'push Ev', st64.pushEv, 'd64'],
);
for (let i = 0; i < 8; i++) rows64.push([`D${(8 + i).toString(16).toUpperCase()}`, 'esc Ev', sys.fpuEscape]);

rows64.push(
  ['0F 00/0', 'sldt Ew', tb64.sldt], ['0F 00/1', 'str Ew', tb64.str], ['0F 00/2', 'lldt Ew', tb64.lldt], ['0F 00/3', 'ltr Ew', tb64.ltr],
  ['0F 00/4', 'verr Ew', tb64.verr], ['0F 00/5', 'verw Ew', tb64.verw],
  ['0F 01 F8', 'swapgs', sc.swapgs],
  ['0F 02', 'lar Gv,Ew', tb64.lar], ['0F 03', 'lsl Gv,Ew', tb64.lsl], ['0F 05', 'syscall', sc.syscall], ['0F 07', 'sysret', sc.sysret],
  ['0F 34', 'sysenter', sc.sysenter64], ['0F 35', 'sysexit', sc.sysexit64],
  ['0F B2', 'lss Gv,Mp', far64.lss], ['0F B4', 'lfs Gv,Mp', far64.lfs], ['0F B5', 'lgs Gv,Mp', far64.lgs],
  ['0F 01/0', 'sgdt Ms', sys64.sgdt], ['0F 01/1', 'sidt Ms', sys64.sidt], ['0F 01/2', 'lgdt Ms', sys64.lgdt], ['0F 01/3', 'lidt Ms', sys64.lidt],
  ['0F 01/4', 'smsw Ew', sys64.smsw], ['0F 01/6', 'lmsw Ew', sys64.lmsw], ['0F 01/7', 'invlpg M', sys64.invlpg],
  ['0F 01 C1', 'vmcall', sys.vmcall],
  ['0F 06', 'clts', sys.clts], ['0F 08', 'invd', sys.cacheNop], ['0F 09', 'wbinvd', sys.cacheNop], ['0F 0B', 'ud2', sys.ud2],
  ['0F 0D', 'nop Ev', sys.nop], ['0F 18', 'nop Ev', sys.nop],
  ['0F 19', 'nop Ev', sys.nop], ['0F 1A', 'nop Ev', sys.nop], ['0F 1B', 'nop Ev', sys.nop], ['0F 1C', 'nop Ev', sys.nop],
  ['0F 1D', 'nop Ev', sys.nop], ['0F 1E', 'nop Ev', sys.nop], ['0F 1F', 'nop Ev', sys.nop],
  ['0F 20/0', 'mov Rd,Cd', sys64.movRqCq], ['0F 20/2', 'mov Rd,Cd', sys64.movRqCq], ['0F 20/3', 'mov Rd,Cd', sys64.movRqCq], ['0F 20/4', 'mov Rd,Cd', sys64.movRqCq],
  ['0F 22/0', 'mov Cd,Rd', sys64.movCqRq], ['0F 22/2', 'mov Cd,Rd', sys64.movCqRq], ['0F 22/3', 'mov Cd,Rd', sys64.movCqRq], ['0F 22/4', 'mov Cd,Rd', sys64.movCqRq],
  ['0F 21', 'mov Rd,Dd', sys64.movRqDq], ['0F 23', 'mov Dd,Rd', sys64.movDqRq],
  ['0F 30', 'wrmsr', sys.wrmsr], ['0F 31', 'rdtsc', zx(sys.rdtsc, EAX, EDX)], ['0F 32', 'rdmsr', zx(sys.rdmsr, EAX, EDX)],
  ['0F 40+cc', 'cmovcc Gv,Ev', bits64.cmovcc], ['0F 80+cc', 'jcc Jz', ctl64.jccJz, 'f64'], ['0F 90+cc', 'setcc Eb', bits64.setcc],
  ['0F A0', 'push FS', st64.pushFS, 'd64'], ['0F A1', 'pop FS', st64.popFS, 'd64'], ['0F A2', 'cpuid', zx(sys.cpuidOp, EAX, ECX, EDX, EBX)],
  ['0F A3', 'bt Ev,Gv', bits64.btEvGv], ['0F A4', 'shld Ev,Gv,Ib', sh64.shldEvGvIb], ['0F A5', 'shld Ev,Gv,CL', sh64.shldEvGvCL],
  ['0F A8', 'push GS', st64.pushGS, 'd64'], ['0F A9', 'pop GS', st64.popGS, 'd64'], ['0F AB', 'bts Ev,Gv', bits64.btsEvGv, LK],
  ['0F AC', 'shrd Ev,Gv,Ib', sh64.shrdEvGvIb], ['0F AD', 'shrd Ev,Gv,CL', sh64.shrdEvGvCL], ['0F AF', 'imul Gv,Ev', md64.imulGvEv],
  ['0F B0', 'cmpxchg Eb,Gb', d64.cmpxchgEbGb, LK], ['0F B1', 'cmpxchg Ev,Gv', d64.cmpxchgEvGv, LK],
  ['0F B3', 'btr Ev,Gv', bits64.btrEvGv, LK],
  ['0F B6', 'movzx Gv,Eb', d64.movzxGvEb], ['0F B7', 'movzx Gv,Ew', d64.movzxGvEw],
  ['0F BA/4', 'bt Ev,Ib', bits64.btEvIb], ['0F BA/5', 'bts Ev,Ib', bits64.btsEvIb, LK], ['0F BA/6', 'btr Ev,Ib', bits64.btrEvIb, LK], ['0F BA/7', 'btc Ev,Ib', bits64.btcEvIb, LK],
  ['0F BB', 'btc Ev,Gv', bits64.btcEvGv, LK], ['0F BC', 'bsf Gv,Ev', bits64.bsfGvEv], ['0F BD', 'bsr Gv,Ev', bits64.bsrGvEv],
  ['0F BE', 'movsx Gv,Eb', d64.movsxGvEb], ['0F BF', 'movsx Gv,Ew', d64.movsxGvEw],
  ['0F C0', 'xadd Eb,Gb', d64.xaddEbGb, LK], ['0F C1', 'xadd Ev,Gv', d64.xaddEvGv, LK],
  ['0F C7/1', 'cmpxchg8b Mq', [d64.cmpxchg8b, d64.cmpxchg8b, d64.cmpxchg16b], LK], ['0F C8+r', 'bswap Zv', d64.bswap],
);

/** Every instruction form of 64-bit mode. */
export const OPCODE_ROWS_64: readonly OpcodeRow[] = rows64;

/** Every instruction form this CPU implements outside 64-bit mode. */
export const OPCODE_ROWS: readonly OpcodeRow[] = rows;

/** Table indexes with no meaning in 64-bit mode (#UD without a diagnostic); 40-4F are REX prefixes there. */
const INVALID_64 = new Set([0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61, 0x62, 0x82, 0x9a, 0xc4, 0xc5, 0xce, 0xd4, 0xd5, 0xd6, 0xea]);

const logUndefined = (c: Cpu): void => {
  const op = c.opcode;
  if (c.mode64 && INVALID_64.has(op)) ud();
  c.logOnce(`undefined or unimplemented opcode ${op >= 0x100 ? '0F ' : ''}${(op & 0xff).toString(16).padStart(2, '0').toUpperCase()}${c.mode64 ? ' in 64-bit mode' : ''}: raising #UD`);
  ud();
};

const IMM_OF: Record<string, number> = { Ib: IMM_B, Iw: IMM_W, Iz: IMM_Z, Iv: IMM_V, Jb: IMM_B, Jz: IMM_Z, Ob: IMM_MOFFS, Ov: IMM_MOFFS, Ap: IMM_FAR };

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
  if (hasReg || args.some((t) => /^(E[bvwdq]|G[bvwdq]|M[apsq]?|Sw|Cd|Dd|Rd)$/.test(t))) w |= D_MODRM;
  const imms = args.map((t) => IMM_OF[t] ?? 0).filter((k) => k !== 0);
  if (imms[0]) w |= imms[0] << D_IMM1_SHIFT;
  if (imms[1]) w |= imms[1] << D_IMM2_SHIFT;
  if (args.includes('Rd')) w |= D_REGONLY;
  return w;
}

/** The decoder's words, encoding masks and handlers for one code mode, built from its rows. */
export interface OpcodeTables {
  /** Decode word per table index (opcode byte, plus 0x100 for the 0F map). */
  readonly decode: Int32Array;
  /** Per table index: ModRM.reg values for which lock is allowed / memory is required / a row exists. */
  readonly lockMask: Uint8Array;
  readonly memOnly: Uint8Array;
  readonly groupValid: Uint8Array;
  /** 64-bit mode, per table index and ModRM.reg: the operand size defaults to 64 bits (d64), or the form is a near branch (f64). */
  readonly def64: Uint8Array;
  readonly f64: Uint8Array;
  /** Handlers by (index << sizeShift | size) and by ((index << 3 | reg) << sizeShift | size). */
  readonly handlers: Handler[];
  readonly groupHandlers: Handler[];
  readonly sizeShift: number;
  /** Forms by group slot (index << 3 | reg): per ModRM.rm for register-only rows, and the memory row. */
  readonly regForms: Map<number, Map<number, Impl>>;
  readonly memForms: Map<number, Impl>;
}

/**
 * Builds one mode's tables. `firstSize` is the size index of an Impl pair's or triple's first
 * handler: 0 outside 64-bit mode (o32 0 and 1), 1 in it (osz 1, 2, 3 for 16, 32, 64 bits).
 */
function buildTables(modeRows: readonly OpcodeRow[], sizeShift: number, firstSize: number, sizes: readonly number[]): OpcodeTables {
  const t: OpcodeTables = {
    decode: new Int32Array(512), lockMask: new Uint8Array(512), memOnly: new Uint8Array(512), groupValid: new Uint8Array(512),
    def64: new Uint8Array(512), f64: new Uint8Array(512),
    handlers: new Array<Handler>(512 << sizeShift).fill(logUndefined), groupHandlers: new Array<Handler>(4096 << sizeShift).fill(logUndefined),
    sizeShift, regForms: new Map(), memForms: new Map(),
  };
  const pick = (impl: Impl, size: number): Handler => (typeof impl === 'function' ? impl : impl[size - firstSize]);
  for (const [key, text, impl, flags = ''] of modeRows) {
    const lock = flags.includes('lock');
    const { indexes, reg, modrm } = parseKey(key);
    const space = text.indexOf(' ');
    const args = space < 0 ? [] : text.slice(space + 1).split(',');
    const memOnly = args.some((a) => a.startsWith('M'));
    for (const idx of indexes) {
      const word = decodeWord(args, reg >= 0);
      if (reg < 0) {
        if (t.decode[idx] !== 0) throw new Error(`opcode table: ${key} defined twice`);
        t.decode[idx] = word | (lock || memOnly ? D_CHECK : 0);
        if (lock) t.lockMask[idx] = 0xff;
        if (memOnly) t.memOnly[idx] = 0xff;
        if (flags.includes('d64')) t.def64[idx] = 0xff;
        if (flags.includes('f64')) t.f64[idx] = 0xff;
        for (const size of sizes) t.handlers[(idx << sizeShift) | size] = pick(impl, size);
        continue;
      }
      const slot = (idx << 3) | reg;
      if (modrm >= 0) {
        const forms = t.regForms.get(slot) ?? new Map<number, Impl>();
        forms.set(modrm & 7, impl);
        t.regForms.set(slot, forms);
      } else {
        t.memForms.set(slot, impl);
        if (memOnly) t.memOnly[idx] |= 1 << reg;
      }
      const prev = t.decode[idx];
      const merged = word | D_GROUP | D_CHECK;
      if (prev !== 0 && (prev & ~D_IMM_TEST) !== merged && (idx === 0xf6 || idx === 0xf7)) {
        t.decode[idx] = prev | merged | D_IMM_TEST;
      } else if (prev !== 0 && (prev & ~D_IMM_TEST) !== merged) {
        throw new Error(`opcode table: group ${key} disagrees with its siblings on operands`);
      } else {
        t.decode[idx] = merged | (prev & D_IMM_TEST);
      }
      t.groupValid[idx] |= 1 << reg;
      if (lock) t.lockMask[idx] |= 1 << reg;
      if (flags.includes('d64')) t.def64[idx] |= 1 << reg;
      if (flags.includes('f64')) t.f64[idx] |= 1 << reg;
    }
  }
  for (const slot of new Set([...t.memForms.keys(), ...t.regForms.keys()])) {
    const mem = t.memForms.get(slot);
    const regs = t.regForms.get(slot);
    if (regs) t.memOnly[slot >>> 3] &= ~(1 << (slot & 7));
    for (const size of sizes) {
      const memHandler = mem ? pick(mem, size) : ud;
      let h: Handler = memHandler;
      if (regs) {
        // Whole-ModRM rows match the ModRM byte itself: REX.B does not change them.
        const byRm: Handler[] = [0, 1, 2, 3, 4, 5, 6, 7].map((rm) => {
          const r = regs.get(rm);
          return r ? pick(r, size) : ud;
        });
        h = (c) => (c.mod === 3 ? byRm[c.rm & 7](c) : memHandler(c));
      }
      t.groupHandlers[(slot << sizeShift) | size] = h;
    }
  }
  return t;
}

/** Tables of real, 16-bit and 32-bit code (handlers by o32). */
export const LEGACY = buildTables(rows, 1, 0, [0, 1]);
/** Tables of 64-bit mode (handlers by osz: 1, 2, 3). */
export const LONG = buildTables(rows64, 2, 1, [1, 2, 3]);

export const DECODE = LEGACY.decode;
export const LOCK_MASK = LEGACY.lockMask;
export const MEM_ONLY = LEGACY.memOnly;
export const GROUP_VALID = LEGACY.groupValid;
export const HANDLERS = LEGACY.handlers;
export const GROUP_HANDLERS = LEGACY.groupHandlers;

/** #UD for a lock prefix where none is allowed, an undefined group member, or a register where memory is required. */
export function checkEncoding(c: CpuDecoder, t: OpcodeTables, idx: number, info: number): void {
  const reg = c.reg & 7;
  if (c.lock !== 0 && (((t.lockMask[idx] >>> reg) & 1) === 0 || c.mod === 3)) ud();
  if ((info & D_GROUP) !== 0 && ((t.groupValid[idx] >>> reg) & 1) === 0) ud();
  if (c.mod === 3 && ((t.memOnly[idx] >>> reg) & 1) !== 0) ud();
}

/** Whether the decoded instruction (table index, ModRM fields) has a row in the mode's table. */
export function isImplemented(idx: number, reg: number, mod: number, rm: number, t: OpcodeTables = LEGACY): boolean {
  const info = t.decode[idx];
  if (info === 0) return false;
  if ((info & D_GROUP) === 0) return true;
  const slot = (idx << 3) | (reg & 7);
  const regs = t.regForms.get(slot);
  if (mod === 3 && regs) return regs.has(rm & 7);
  return t.memForms.has(slot);
}
