// Builds everything `tools/run` boots: the userland programs (tools/build/userland.ts), the
// initramfs holding them as /bin/NAME, and the kernel's boot ROM.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { KernelImage } from '../../kernel/arch/i386/image.ts';
import { packInitramfs, type InitramfsFile } from '../gen/initramfs.ts';
import { buildKernelRom } from './kernel.ts';
import { buildUserland } from './userland.ts';

/** What a boot needs. */
export interface SystemBuild {
  readonly kernel: KernelImage;
  readonly initramfs: Uint8Array;
  /** Guest paths of the programs in the initramfs. */
  readonly programs: readonly string[];
}

/**
 * Builds what is out of date for the system-call mechanism `abi`, with `extra` files added to
 * the initramfs (tests' own programs); throws BuildError or KernelBuildError with the tools' messages.
 */
export async function buildSystem(abi = 'int80', extra: readonly InitramfsFile[] = []): Promise<SystemBuild> {
  const userland = await buildUserland({ abi });
  const programs = [...userland.programs.entries()].map(([name, path]) => ({ path: `/bin/${basename(name)}`, data: new Uint8Array(readFileSync(path)), perm: 0o755 }));
  const files = [...programs, ...extra].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { kernel: buildKernelRom(), initramfs: packInitramfs(files), programs: files.map((f) => f.path) };
}
