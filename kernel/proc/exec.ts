// execve: loads a static ELF executable into a new address space with a Linux-like initial stack,
// and only then replaces the caller's program, so a failed exec leaves the caller as it was.
import { ET_EXEC, PF_W, PT_INTERP, PT_LOAD } from '../../machine/formats/elf-constants.ts';
import { tryReadElf } from '../../machine/formats/elf-reader.ts';
import { E } from '../errno.ts';
import { S_IFMT, S_IFREG } from '../fs/inode.ts';
import type { Kernel } from '../kernel.ts';
import type { AddressSpace } from '../mm/address-space.ts';
import { PAGE_SIZE, pageDown, pageUp } from '../mm/phys.ts';
import { AT, buildInitialStack } from './initial-stack.ts';
import type { Process } from './process.ts';

/** Size of the user stack mapped at exec (below the top of user space). */
export const STACK_SIZE = 128 * 1024;
/** Most bytes argv and envp strings may take together (E2BIG beyond), a quarter of the stack as Linux allows. */
export const ARG_MAX = STACK_SIZE / 4;

/** Where the user stack mapped at exec begins in `space` (the vDSO goes below it). */
export function stackBottom(space: AddressSpace): number {
  return space.userTop - STACK_SIZE;
}

/** Replaces `p`'s program with the executable at `path`: 0, or -errno with `p` unchanged. */
export function execProgram(k: Kernel, p: Process, path: string, argv: readonly string[], envp: readonly string[]): number {
  const inode = k.fs.lookup(p.cwd, path);
  if (typeof inode === 'number') return inode;
  if ((inode.mode & S_IFMT) !== S_IFREG || (inode.mode & 0o111) === 0) return -E.EACCES;
  if ([...argv, ...envp].reduce((n, s) => n + s.length + 1, 0) > ARG_MAX) return -E.E2BIG;

  const parsed = tryReadElf(inode.data.subarray(0, inode.size), { elfClass: k.abi.wordBytes === 4 ? 32 : 64, machine: k.abi.elfMachine });
  if (!parsed.ok || parsed.file.header.type !== ET_EXEC) return -E.ENOEXEC;
  const elf = parsed.file;
  // A dynamically linked program names its loader; there is none here, so Linux's answer for a
  // missing interpreter applies.
  if (elf.programHeaders.some((ph) => ph.type === PT_INTERP)) return -E.ENOENT;
  const loads = elf.programHeaders.filter((ph) => ph.type === PT_LOAD && ph.memsz > 0n);
  if (loads.length === 0) return -E.ENOEXEC;
  const space = k.newSpace();
  if (!space) return -E.ENOMEM;
  const stackStart = stackBottom(space);

  let end = 0;
  for (const ph of loads) {
    const vaddr = Number(ph.vaddr);
    const memsz = Number(ph.memsz);
    if (ph.filesz > memsz || vaddr + memsz > stackStart) {
      space.destroy();
      return -E.EINVAL;
    }
    if (!space.mapZeroed(pageDown(vaddr), pageUp(vaddr + memsz) - pageDown(vaddr), (ph.flags & PF_W) !== 0)) {
      space.destroy();
      return -E.ENOMEM;
    }
    writeUser(k, space, vaddr, elf.bytes.subarray(ph.offset, ph.offset + ph.filesz));
    end = Math.max(end, vaddr + memsz);
  }
  if (!space.mapZeroed(stackStart, STACK_SIZE, true)) {
    space.destroy();
    return -E.ENOMEM;
  }
  // The argument-block page, unless the program's own segments are there (it then has none).
  const argBlock = k.argBlockPage !== null && !space.anyMapped(k.argBlockPage, PAGE_SIZE) ? k.argBlockPage : null;
  if (argBlock !== null && !space.mapZeroed(argBlock, PAGE_SIZE, true)) {
    space.destroy();
    return -E.ENOMEM;
  }

  const entry = Number(elf.header.entry);
  const first = loads.find((ph) => ph.offset === 0);
  // Linux puts the vDSO's entries first in the auxiliary vector.
  const auxv: [number, number][] = [];
  if (k.vdso) {
    const vdsoAuxv = k.vdso.mapInto(space, stackStart);
    if (!vdsoAuxv) {
      space.destroy();
      return -E.ENOMEM;
    }
    auxv.push(...vdsoAuxv);
  }
  if (first && elf.header.phnum > 0) {
    auxv.push([AT.PHDR, Number(first.vaddr) + elf.header.phoff], [AT.PHENT, elf.header.phentsize], [AT.PHNUM, elf.header.phnum]);
  }
  auxv.push(
    [AT.PAGESZ, PAGE_SIZE], [AT.BASE, 0], [AT.FLAGS, 0], [AT.ENTRY, entry],
    [AT.UID, 0], [AT.EUID, 0], [AT.GID, 0], [AT.EGID, 0], [AT.HWCAP, k.hwcap], [AT.CLKTCK, 100], [AT.SECURE, 0],
  );
  const stack = buildInitialStack({
    top: space.userTop,
    wordBytes: k.abi.wordBytes,
    argv, envp,
    execfn: path,
    platform: k.abi.machine,
    random: pseudoRandom(p.pid, p.execCount),
    auxv,
  });
  writeUser(k, space, stack.sp, stack.bytes);

  const old = p.space;
  p.space = space;
  old?.destroy();
  p.files.closeOnExec();
  p.handlers.resetForExec();
  p.frameCalls.length = 0;
  p.name = (path.split('/').pop() ?? path).slice(0, 15);
  p.brkStart = pageUp(end);
  p.brk = p.brkStart;
  p.argBlock = argBlock;
  p.execCount++;
  k.arch.execContext(p, entry, stack.sp);
  return 0;
}

/** Writes into a space being built, with kernel rights (read-only pages included). */
function writeUser(k: Kernel, space: AddressSpace, va: number, data: Uint8Array): void {
  let done = 0;
  while (done < data.length) {
    const addr = va + done;
    const chunk = Math.min(data.length - done, PAGE_SIZE - (addr % PAGE_SIZE));
    const pa = space.probe(addr, false);
    k.mem.set(pa, data.subarray(done, done + chunk));
    done += chunk;
  }
}

/** AT_RANDOM's 16 bytes: deterministic (a function of pid and exec count) so every run repeats. */
function pseudoRandom(pid: number, n: number): Uint8Array {
  let x = (pid * 0x9e3779b1 + n * 0x85ebca6b + 1) >>> 0;
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
