// The real NASM, used as an oracle by differential tests when it is installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let available: boolean | undefined;

/** Whether a `nasm` executable is on the PATH. */
export function hasRealNasm(): boolean {
  if (available === undefined) {
    available = spawnSync('nasm', ['-v'], { stdio: 'ignore' }).status === 0;
  }
  return available;
}

/** The outcome of one run of real NASM: its output bytes, or its diagnostics. */
export type RealNasmResult = { ok: true; bytes: Uint8Array } | { ok: false; messages: string };

/** Assembles `source` with real NASM in the given format; never throws for bad source. */
export function realNasm(source: string, format: 'bin' | 'elf32' | 'elf64' = 'bin', args: string[] = []): RealNasmResult {
  const dir = mkdtempSync(join(tmpdir(), 'real-nasm-'));
  try {
    const input = join(dir, 'in.asm');
    const output = join(dir, 'out');
    writeFileSync(input, source);
    try {
      execFileSync('nasm', ['-f', format, '-o', output, ...args, input], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr;
      return { ok: false, messages: stderr ? stderr.toString() : String(error) };
    }
    return { ok: true, bytes: new Uint8Array(readFileSync(output)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
