// What a front end prints when a run ends abnormally: the cause, the registers and the
// instruction at CS:EIP disassembled in NASM syntax (iced-x86's formatter).
import { Decoder, DecoderOptions, Formatter, FormatterSyntax } from 'iced-x86';
import type { PC, RunResult } from '../../machine/pc.ts';

const hex8 = (value: number): string => (value >>> 0).toString(16).padStart(8, '0');
const hex4 = (value: number): string => (value & 0xffff).toString(16).padStart(4, '0');

/** The instruction at CS:EIP as NASM would write it, or a note when its bytes are not mapped. */
export function disassembleAtEip(pc: PC): string {
  const regs = pc.registers();
  const cs = regs.segments.cs;
  const bitness = pc.cpu.mode64 ? 64 : pc.cpu.cr0 & 1 ? ((cs.attributes & 0x4000) !== 0 ? 32 : 16) : 16;
  const linear = (cs.base + regs.eip) >>> 0;
  const bytes = pc.cpu.peekLinear(linear, 15);
  const mapped = bytes.findIndex((b) => b === null);
  const code = Uint8Array.from(bytes.slice(0, mapped < 0 ? 15 : mapped) as number[]);
  if (code.length === 0) return `${hex8(linear)}: (not mapped)`;
  const decoder = new Decoder(bitness, code, DecoderOptions.None);
  decoder.ip = BigInt(regs.eip);
  const instruction = decoder.decode();
  const formatter = new Formatter(FormatterSyntax.Nasm);
  const text = decoder.lastError === 0 || instruction.length > 0 ? formatter.format(instruction) : '(undecodable)';
  const shown = Array.from(code.subarray(0, Math.max(1, instruction.length)), (b) => b.toString(16).padStart(2, '0')).join(' ');
  instruction.free();
  decoder.free();
  formatter.free();
  return `${hex4(cs.selector)}:${hex8(regs.eip)}  ${shown.padEnd(24)} ${text}`;
}

/** The registers in the layout people know from QEMU's `info registers`. */
export function registerDump(pc: PC): string {
  const r = pc.registers();
  const s = r.segments;
  const seg = (name: string) => `${name.toUpperCase()}=${hex4(s[name].selector)} ${hex8(s[name].base)} ${hex8(s[name].limit)}`;
  return [
    `EAX=${hex8(r.eax)} EBX=${hex8(r.ebx)} ECX=${hex8(r.ecx)} EDX=${hex8(r.edx)}`,
    `ESI=${hex8(r.esi)} EDI=${hex8(r.edi)} EBP=${hex8(r.ebp)} ESP=${hex8(r.esp)}`,
    `EIP=${hex8(r.eip)} EFL=${hex8(r.eflags)} CPL=${r.cpl}`,
    `${seg('cs')}  ${seg('ss')}`,
    `${seg('ds')}  ${seg('es')}`,
    `${seg('fs')}  ${seg('gs')}`,
    `CR0=${hex8(r.cr0)} CR2=${hex8(r.cr2)} CR3=${hex8(r.cr3)} CR4=${hex8(r.cr4)}`,
    `GDT=${hex8(r.gdtr.base)} ${hex4(r.gdtr.limit)}  IDT=${hex8(r.idtr.base)} ${hex4(r.idtr.limit)}`,
  ].join('\n');
}

/** A headline for how the run ended. */
export function describeStop(pc: PC, result: RunResult): string {
  switch (result.reason) {
    case 'exit':
      return `the guest exited through isa-debug-exit with status ${pc.exitStatus}`;
    case 'limit':
      return `stopped at the limit after ${pc.cpu.instructions} instructions`;
    case 'until':
      return 'stopped: the awaited condition was met';
    case 'triple-fault':
      return `CPU shut down: ${result.report ?? 'triple fault'}`;
    case 'halted':
      return `CPU halted for good: ${result.report ?? 'hlt'}`;
    case 'internal-error':
      // The first line says where; the host stack behind it is for the emulator's developers.
      return `emulator failure: ${(result.report ?? 'unknown').split('\n')[0]}`;
  }
}

/** The full report for an abnormal end: cause, registers, instruction at CS:EIP. */
export function stopReport(pc: PC, result: RunResult): string {
  return `${describeStop(pc, result)}\n${registerDump(pc)}\n${disassembleAtEip(pc)}\n`;
}
