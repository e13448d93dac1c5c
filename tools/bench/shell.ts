// A booted system at its shell prompt for the benchmarks: type a line, run to the next prompt,
// and say what it cost (guest instructions, virtual and host time, console output).
import { readFileSync } from 'node:fs';
import type { PC } from '../../machine/pc.ts';
import type { I386System } from '../../kernel/arch/i386/system.ts';
import { buildSystem, type SystemBuild } from '../build/system.ts';
import { buildUserland } from '../build/userland.ts';
import { createKernelPc } from '../os/kernel-pc.ts';

/** A bound on the guest instructions of one command, so a broken kernel ends the benchmark. */
const COMMAND_INSTRUCTIONS = 4_000_000_000;

/** Milliseconds of CPU time this process has used. */
export function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** What running something cost. */
export interface Cost {
  instructions: number;
  /** Guest (virtual) nanoseconds. */
  virtualNs: number;
  /** Host CPU milliseconds. */
  ms: number;
}

/**
 * The system for `abi` with the programs of tools/bench/guest/libc, linked with that mechanism's
 * libc, in /bin; and where each of those programs is on the host.
 */
export async function buildBenchSystem(abi: string): Promise<{ build: SystemBuild; programs: Map<string, string> }> {
  const guests = await buildUserland({ abi, programsDir: 'tools/bench/guest/libc', outDir: `build/bench/${abi}` });
  const files = [...guests.programs].map(([name, path]) => ({ path: `/bin/${name}`, data: new Uint8Array(readFileSync(path)), perm: 0o755 }));
  return { build: await buildSystem(abi, files), programs: guests.programs };
}

/** A PC running the system, counting the shell's prompts. */
export class BenchShell {
  readonly pc: PC;
  readonly system: I386System;
  /** Console bytes since the last command was typed. */
  output = '';
  /** Console bytes in all. */
  consoleBytes = 0;
  private prompts = 0;

  constructor(build: SystemBuild, init?: readonly string[]) {
    ({ pc: this.pc, system: this.system } = createKernelPc({ kernel: build.kernel, initramfs: build.initramfs, init }));
    // The shell writes its prompt in one write; typed keys are echoed one at a time.
    this.system.onConsoleOutput((bytes) => {
      const text = Buffer.from(bytes).toString('latin1');
      this.output += text;
      this.consoleBytes += bytes.length;
      if (text.length >= 2 && text.endsWith('$ ')) this.prompts++;
    });
  }

  /** Runs until `done` holds (checked between slices of instructions); throws when the guest stops or the bound is reached. */
  runUntil(done: () => boolean, what: string): Cost {
    const start = { instructions: this.pc.cpu.instructions, virtualNs: this.pc.virtualNs(), ms: cpuMs() };
    const result = this.pc.run({ instructions: COMMAND_INSTRUCTIONS, until: () => done() || this.system.panicMessage !== null });
    if (!done()) throw new Error(`${what}: ${result.reason}${this.system.panicMessage ? `: ${this.system.panicMessage}` : ''}`);
    return { instructions: this.pc.cpu.instructions - start.instructions, virtualNs: this.pc.virtualNs() - start.virtualNs, ms: cpuMs() - start.ms };
  }

  /** Runs until the shell prompts (again). */
  toPrompt(): Cost {
    const want = this.prompts + 1;
    return this.runUntil(() => this.prompts >= want, 'the shell did not prompt again');
  }

  /** Types a line (the output starts afresh) without running the machine. */
  type(line: string): void {
    this.output = '';
    this.pc.typeText(`${line}\n`);
  }

  /** Types a line and runs to the next prompt. */
  command(line: string): Cost {
    this.type(line);
    return this.toPrompt();
  }
}
