// Builds the i386 kernel's boot ROM: assembles the kernel image (kernel/arch/i386/image.asm)
// and the boot code (boot.asm) with the project's assembler, and lays them out as one ROM
// image: [kernel image][boot code ending in the reset vector]. The image's symbols (stub
// addresses, the per-CPU area, the tables) go with it for the TypeScript side.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssembleResult } from '../asm/assemble.ts';
import { assemblePath } from '../asm/toolchain.ts';
import { formatDiagnostic } from '../asm/diagnostics.ts';
import { asmDefines } from '../../kernel/arch/i386/layout.ts';
import type { KernelImage } from '../../kernel/arch/i386/image.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARCH_DIR = join(ROOT, 'kernel/arch/i386');

/** The assembler rejected a kernel source; the message is NASM-style diagnostics. */
export class KernelBuildError extends Error {
  override readonly name = 'KernelBuildError';
}

function assembleOrThrow(file: string, defines: Array<[string, string]>): AssembleResult {
  const result = assemblePath(join(ARCH_DIR, file), { format: 'bin', includePaths: [ARCH_DIR + '/'], defines });
  if (!result.ok || !result.output) {
    throw new KernelBuildError(`assembling kernel/arch/i386/${file} failed:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
  }
  return result;
}

/** Assembles the ROM from the sources (about a second); throws KernelBuildError with the assembler's messages. */
export function buildKernelRom(): KernelImage {
  const defines = asmDefines();
  const image = assembleOrThrow('image.asm', defines);
  const imageBytes = Math.ceil(image.output!.byteLength / 4) * 4;
  const boot = assembleOrThrow('boot.asm', [...defines, ['IMAGE_BYTES', String(imageBytes)]]);
  const rom = new Uint8Array(imageBytes + boot.output!.byteLength);
  rom.set(image.output!, 0);
  rom.set(boot.output!, imageBytes);
  const symbols: Record<string, number> = {};
  for (const s of image.symbols) symbols[s.name] = Number(s.value);
  return { rom, imageBytes, symbols };
}
