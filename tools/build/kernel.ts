// Builds the i386 kernel's boot ROM: assembles the kernel image (kernel/arch/i386/image.asm)
// and the boot code (boot.asm) with the project's assembler, and lays them out as one ROM
// image: [kernel image][boot code ending in the reset vector]. The image's symbols (stub
// addresses, the per-CPU area, the tables) go with it for the TypeScript side. The image
// includes (incbin) the two vDSO shared objects, built first from vdso.asm.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AssembleResult, OutputFormat } from '../asm/assemble.ts';
import { assemblePath } from '../asm/toolchain.ts';
import { formatDiagnostic } from '../asm/diagnostics.ts';
import { diskFiles, type SourceFiles } from '../asm/files.ts';
import { layoutVdso, vdsoDefines, VdsoLayoutError } from './vdso.ts';
import { asmDefines } from '../../kernel/arch/i386/layout.ts';
import type { KernelImage } from '../../kernel/arch/i386/image.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARCH_DIR = join(ROOT, 'kernel/arch/i386');

/** The assembler rejected a kernel source; the message is NASM-style diagnostics. */
export class KernelBuildError extends Error {
  override readonly name = 'KernelBuildError';
}

function assembleOrThrow(file: string, defines: Array<[string, string]>, format: OutputFormat = 'bin', files: SourceFiles = diskFiles): AssembleResult {
  const result = assemblePath(join(ARCH_DIR, file), { format, includePaths: [ARCH_DIR + '/'], defines, files });
  if (!result.ok || !result.output) {
    throw new KernelBuildError(`assembling kernel/arch/i386/${file} failed:\n${result.diagnostics.map(formatDiagnostic).join('\n')}`);
  }
  return result;
}

/** The vDSO shared objects image.asm includes, by file name: one entering with sysenter, one with int 0x80. */
export function buildVdsoImages(): Map<string, Uint8Array> {
  const images = new Map<string, Uint8Array>();
  for (const [name, sysenter] of [['vdso-int80.so', false], ['vdso-sysenter.so', true]] as const) {
    try {
      images.set(name, layoutVdso(assembleOrThrow('vdso.asm', vdsoDefines(sysenter), 'elf32').object!));
    } catch (error) {
      if (error instanceof VdsoLayoutError) throw new KernelBuildError(error.message);
      throw error;
    }
  }
  return images;
}

/** Assembles the ROM from the sources (about a second); throws KernelBuildError with the assembler's messages. */
export function buildKernelRom(): KernelImage {
  const defines = asmDefines();
  const vdso = buildVdsoImages();
  const files: SourceFiles = { read: (path) => vdso.get(path) ?? diskFiles.read(path) };
  const image = assembleOrThrow('image.asm', defines, 'bin', files);
  const imageBytes = Math.ceil(image.output!.byteLength / 4) * 4;
  const boot = assembleOrThrow('boot.asm', [...defines, ['IMAGE_BYTES', String(imageBytes)]]);
  const rom = new Uint8Array(imageBytes + boot.output!.byteLength);
  rom.set(image.output!, 0);
  rom.set(boot.output!, imageBytes);
  const symbols: Record<string, number> = {};
  for (const s of image.symbols) symbols[s.name] = Number(s.value);
  return { rom, imageBytes, symbols };
}
