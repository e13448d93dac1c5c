// Builds the system once per test file and boots fresh machines from it: each test gets its
// own PC, and helpers to run until the console shows some text.
import { readFileSync } from 'node:fs';
import { formatDiagnostic } from '../../tools/asm/diagnostics.ts';
import { assemblePath } from '../../tools/asm/toolchain.ts';
import { link, type LinkOptions } from '../../tools/linker/link.ts';
import type { Vendor } from '../../machine/cpu/cpuid.ts';
import type { PC } from '../../machine/pc.ts';
import type { I386System } from '../../kernel/arch/i386/system.ts';
import { buildSystem, type SystemBuild } from '../../tools/build/system.ts';
import { buildUserland } from '../../tools/build/userland.ts';
import { createKernelPc } from '../../tools/os/kernel-pc.ts';
import { formatSnapshot, screenText } from '../../tools/screen/snapshot.ts';

/** Generous: the first build of the userland assembles every program. */
export const BUILD_TIMEOUT_MS = 600_000;
/** A bound on guest instructions for any one step of a test, so a broken kernel fails instead of hanging. */
export const STEP_INSTRUCTIONS = 200_000_000;

/** Assembles and links test/boot-kernel/programs/NAME.asm with the project's assembler and linker, in this process. */
export function buildTestProgram(name: string, options: Pick<LinkOptions, 'textAddress'> = {}): Uint8Array {
  const source = `test/boot-kernel/programs/${name}.asm`;
  const object = assemblePath(source, { format: 'elf32' });
  if (!object.ok || !object.output) throw new Error(`${source}:\n${object.diagnostics.map(formatDiagnostic).join('\n')}`);
  const linked = link([{ name: `${name}.o`, bytes: object.output }], { emulation: 'elf_i386', entry: '_start', outputName: name, ...options });
  if (!linked.bytes) throw new Error(`linking ${name}:\n${linked.errors.join('\n')}`);
  return linked.bytes;
}

/** The standalone test programs and their link options: noblock's code sits where the argument block would. */
const TEST_PROGRAMS: ReadonlyArray<readonly [string, Pick<LinkOptions, 'textAddress'>]> = [
  ['spin', {}], ['inport', {}], ['sigbad', {}], ['forkbomb', {}], ['regsave', {}], ['sysenter', {}],
  ['entryhaz', {}], ['sigblock', {}], ['noblock', { textAddress: 0x8000n }],
];

/**
 * The system whose userland calls the kernel through mechanism `abi`, with the test programs in
 * /bin: the standalone ones (test/boot-kernel/programs/NAME.asm, entering the kernel their own
 * way) and those linked with that mechanism's libc (test/boot-kernel/programs/libc/).
 */
export async function buildTestSystem(abi = 'int80'): Promise<SystemBuild> {
  const standalone = TEST_PROGRAMS.map(([name, options]) => ({ path: `/bin/${name}`, data: buildTestProgram(name, options), perm: 0o755 }));
  const withLibc = await buildUserland({ abi, programsDir: 'test/boot-kernel/programs/libc', outDir: `build/test-programs/${abi}` });
  const linked = [...withLibc.programs].map(([name, path]) => ({ path: `/bin/${name}`, data: new Uint8Array(readFileSync(path)), perm: 0o755 }));
  return buildSystem(abi, [...standalone, ...linked]);
}

/**
 * The line a user types to clear the screen: printf turns \033 into ESC, and the console's
 * ANSI "cursor home" and "erase display" leave the next prompt alone on the top row.
 */
export const CLEAR_SCREEN_LINE = "printf '\\033[H\\033[2J'";

/** A booted-from-reset machine and what the console has printed. */
export class TestMachine {
  readonly pc: PC;
  readonly system: I386System;
  /** Everything the console printed so far. */
  output = '';
  /** Guest instructions retired when the console printed each "$ " prompt. */
  readonly promptInstructions: number[] = [];

  /** `sep` false: a CPU without SYSENTER/SYSEXIT. */
  constructor(build: SystemBuild, vendor: Vendor = 'intel', sep = true) {
    ({ pc: this.pc, system: this.system } = createKernelPc({ kernel: build.kernel, initramfs: build.initramfs, vendor, sep }));
    // The shell writes its prompt in one write; the terminal echoes typed keys one at a time,
    // so a typed "$ " (as in `echo $$ x`) is never taken for a prompt.
    this.system.onConsoleOutput((bytes) => {
      const text = Buffer.from(bytes).toString('latin1');
      this.output += text;
      if (text.length >= 2 && text.endsWith('$ ')) this.promptInstructions.push(this.pc.cpu.instructions);
    });
  }

  /** Runs until the console has printed `count` prompts in all, within `instructions`; throws when it does not happen. */
  runToPrompt(count = this.promptInstructions.length + 1, instructions = STEP_INSTRUCTIONS): void {
    const result = this.pc.run({ instructions, until: () => this.promptInstructions.length >= count || this.system.panicMessage !== null });
    if (this.promptInstructions.length < count) {
      throw new Error(`no prompt #${count} (${result.reason}${this.system.panicMessage ? `: ${this.system.panicMessage}` : ''}); screen:\n${this.screen()}`);
    }
  }

  /** Types a command line and runs until the shell prompts again (within `instructions`). */
  command(line: string, instructions = STEP_INSTRUCTIONS): string {
    const before = this.output.length;
    this.pc.typeText(`${line}\n`);
    this.runToPrompt(this.promptInstructions.length + 1, instructions);
    return this.output.slice(before);
  }

  /** Clears the screen from the shell prompt, as a user would: the next prompt is on the top row. */
  clear(): void {
    this.command(CLEAR_SCREEN_LINE);
  }

  /** The screen as a snapshot file holds it: cursor, 25 rows of text, then the attribute runs. */
  snapshot(): string {
    return formatSnapshot(this.pc.screen);
  }

  /** The screen as text, trailing blanks dropped. */
  screen(): string {
    return screenText(this.pc.screen);
  }
}

/** A fresh machine of `build`, booted to the shell's first prompt. */
export function bootedMachine(build: SystemBuild, vendor: Vendor = 'intel', sep = true): TestMachine {
  const m = new TestMachine(build, vendor, sep);
  m.runToPrompt();
  return m;
}
