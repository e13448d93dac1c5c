// The kernel's own figures: reset to the shell prompt, and one getpid round trip through int 0x80
// (tools/bench/guest/getpid-loop.asm run at the shell, less what running `true` costs).
import { assemblePath } from '../asm/toolchain.ts';
import { formatDiagnostic } from '../asm/diagnostics.ts';
import { link } from '../linker/link.ts';
import { buildSystem } from '../build/system.ts';
import { createKernelPc } from '../os/kernel-pc.ts';
import { readParams } from './guest/phases.ts';

/** The figures. */
export interface KernelFigures {
  bootMs: number;
  bootInstructions: number;
  getpidNs: number;
  getpidInstructions: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function getpidLoop(): Uint8Array {
  const object = assemblePath('tools/bench/guest/getpid-loop.asm', { format: 'elf32', includePaths: ['tools/bench/guest/'] });
  if (!object.ok || !object.output) throw new Error(object.diagnostics.map(formatDiagnostic).join('\n'));
  const linked = link([{ name: 'getpid-loop.o', bytes: object.output }], { emulation: 'elf_i386' });
  if (!linked.bytes) throw new Error(linked.errors.join('\n'));
  return linked.bytes;
}

/** Boots the i386 system and measures it. */
export async function benchKernel(): Promise<KernelFigures> {
  const calls = readParams('tools/bench/guest/params.inc').GETPID_CALLS;
  const build = await buildSystem('int80', [{ path: '/bin/getpid-loop', data: getpidLoop(), perm: 0o755 }]);
  const { pc, system } = createKernelPc({ kernel: build.kernel, initramfs: build.initramfs });
  let prompts = 0;
  let tail = '';
  system.onConsoleOutput((bytes) => {
    tail = (tail + String.fromCharCode(...bytes)).slice(-2);
    if (tail === '$ ') prompts++;
  });
  const untilPrompt = (): { ms: number; instructions: number } => {
    const want = prompts + 1;
    const ms = cpuMs();
    const instructions = pc.cpu.instructions;
    const result = pc.run({ instructions: 2_000_000_000, until: () => prompts >= want });
    if (prompts < want) throw new Error(`the shell did not prompt again: ${result.reason}`);
    return { ms: cpuMs() - ms, instructions: pc.cpu.instructions - instructions };
  };
  const boot = untilPrompt();
  const command = (line: string): { ms: number; instructions: number } => {
    pc.typeText(`${line}\n`);
    return untilPrompt();
  };
  const loop = command('getpid-loop');
  const baseline = command('true');
  return {
    bootMs: boot.ms,
    bootInstructions: boot.instructions,
    getpidNs: ((loop.ms - baseline.ms) * 1e6) / calls,
    getpidInstructions: (loop.instructions - baseline.instructions) / calls,
  };
}
