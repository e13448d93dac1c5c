import { describe, expect, it } from 'vitest';
import { buildBootInfo } from '../../machine/boot/multiboot-info.ts';
import { i386Abi } from '../../kernel/arch/i386/abi.ts';
import { setupI386Memory } from '../../kernel/arch/i386/setup.ts';
import { MultibootInfoError, readMultibootInfo } from '../../kernel/boot/multiboot.ts';
import { E } from '../../kernel/errno.ts';
import { Kernel } from '../../kernel/kernel.ts';
import { NO_TLB } from '../../kernel/mm/address-space.ts';
import { PhysicalMemory } from '../../kernel/mm/phys.ts';
import { packInitramfs } from '../../tools/gen/initramfs.ts';
import { elf32 } from './helpers/elf.ts';
import { FakeArch, FakeClock } from './helpers/harness.ts';

const RAM = 32 * 1024 * 1024;

function boot(modules: Uint8Array[]) {
  const mem = new PhysicalMemory(new Uint8Array(RAM));
  let at = 0x400000;
  const segments = modules.map((data) => {
    const segment = { address: at, data, zeroBytes: 0, what: 'module' };
    mem.bytes.set(data, at);
    at += Math.ceil(data.length / 4096) * 4096;
    return { segment, commandLine: 'initramfs' };
  });
  const info = buildBootInfo({ ramBytes: RAM, commandLine: 'init=/sbin/init', modules: segments, loaderName: 'test loader' });
  mem.bytes.set(info.data, info.address);
  return { mem, infoAddress: info.address };
}

describe('boot from Multiboot information', () => {
  it('reads the memory map, modules and command line the loader wrote', () => {
    const { mem, infoAddress } = boot([new Uint8Array(5000)]);
    const info = readMultibootInfo(mem, infoAddress);
    expect(info.commandLine).toBe('init=/sbin/init');
    expect(info.loaderName).toBe('test loader');
    expect(info.modules).toEqual([{ start: 0x400000, end: 0x400000 + 5000, commandLine: 'initramfs' }]);
    expect(info.memoryMap.filter((r) => r.type === 1)).toEqual([
      { base: 0, length: 0x9fc00, type: 1 },
      { base: 0x100000, length: RAM - 0x100000, type: 1 },
    ]);
    expect(() => readMultibootInfo(mem, RAM - 2)).toThrow(MultibootInfoError);
  });

  it('reserves low memory, the kernel image and the modules, then runs init from the initramfs', () => {
    const program = elf32(Uint8Array.of(0xeb, 0xfe));
    const initramfs = packInitramfs([{ path: '/sbin/init', data: program, perm: 0o755 }]);
    const { mem, infoAddress } = boot([initramfs]);
    const info = readMultibootInfo(mem, infoAddress);
    const memory = setupI386Memory(mem, info, 0x100000, 0x180000, NO_TLB)!;
    const usable = (RAM - 0x100000 - 0x80000) / 4096 - Math.ceil(initramfs.length / 4096);
    expect(memory.frames.totalCount).toBe(usable);
    const module = info.modules[0]!;
    const arch = new FakeArch();
    const kernel = new Kernel({
      mem, frames: memory.frames, newSpace: memory.newSpace, abi: i386Abi, arch, clock: new FakeClock(),
      bootEpochSeconds: 0, initramfs: mem.bytes.slice(module.start, module.end),
    });
    expect(kernel.startInit('/sbin/nope')).toBe(-E.ENOENT);
    const init = kernel.startInit('/sbin/init');
    expect(typeof init).toBe('object');
    expect(kernel.current).toBe(init);
    expect(kernel.current!.pid).toBe(1);
    expect(arch.switches).toEqual([kernel.current!.pid]);
    expect(arch.regsOf(kernel.current!).eip).toBe(0x08048000 + 84);
  });
});
