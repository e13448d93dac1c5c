// `make build`: builds what `make run` boots and writes it under build/: the userland programs
// (build/userland/ABI/bin), the initramfs (build/initramfs-ABI.cpio) and the kernel's boot ROM
// with its symbols (build/kernel/i386/rom.bin, symbols.json) and, for readelf and objdump, the
// vDSO images the ROM holds (vdso-int80.so, vdso-sysenter.so). Usage: main.ts [--abi MECHANISM]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildVdsoImages } from './kernel.ts';
import { buildSystem } from './system.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

async function main(argv: readonly string[]): Promise<number> {
  let abi = 'int80';
  if (argv.length === 2 && argv[0] === '--abi') abi = argv[1]!;
  else if (argv.length > 0) {
    process.stderr.write('usage: make build   (or tools/bin/launch tools/build/main.ts [--abi MECHANISM])\n');
    return 2;
  }
  try {
    const built = await buildSystem(abi);
    const kernelDir = join(ROOT, 'build/kernel/i386');
    mkdirSync(kernelDir, { recursive: true });
    writeFileSync(join(kernelDir, 'rom.bin'), built.kernel.rom);
    writeFileSync(join(kernelDir, 'symbols.json'), `${JSON.stringify(built.kernel.symbols, null, 2)}\n`);
    for (const [name, bytes] of buildVdsoImages()) writeFileSync(join(kernelDir, name), bytes);
    writeFileSync(join(ROOT, `build/initramfs-${abi}.cpio`), built.initramfs);
    process.stdout.write(`kernel ROM: build/kernel/i386/rom.bin (${built.kernel.rom.byteLength} bytes, image ${built.kernel.imageBytes})\n`);
    process.stdout.write(`initramfs: build/initramfs-${abi}.cpio (${built.initramfs.byteLength} bytes: ${built.programs.join(' ')})\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`build: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
