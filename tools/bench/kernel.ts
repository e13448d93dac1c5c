// The kernel's own figures: reset to the shell prompt, and one getpid round trip through int 0x80
// (tools/bench/guest/getpid-loop.asm run at the shell, less what running `true` costs).
import { assemblePath } from '../asm/toolchain.ts';
import { formatDiagnostic } from '../asm/diagnostics.ts';
import { link } from '../linker/link.ts';
import { buildSystem } from '../build/system.ts';
import { readParams } from './guest/phases.ts';
import { BenchShell } from './shell.ts';

/** The figures. */
export interface KernelFigures {
  bootMs: number;
  bootInstructions: number;
  getpidNs: number;
  getpidInstructions: number;
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
  const shell = new BenchShell(await buildSystem('int80', [{ path: '/bin/getpid-loop', data: getpidLoop(), perm: 0o755 }]));
  const boot = shell.toPrompt();
  const loop = shell.command('getpid-loop');
  const baseline = shell.command('true');
  return {
    bootMs: boot.ms,
    bootInstructions: boot.instructions,
    getpidNs: ((loop.ms - baseline.ms) * 1e6) / calls,
    getpidInstructions: (loop.instructions - baseline.instructions) / calls,
  };
}
