// Copying between the kernel and user memory, by walking the process's page tables in guest
// physical memory. A bad user pointer is an -EFAULT result, never an exception: every page of
// the range is checked before anything is copied, so a failed copy has no side effect. A/D bits
// are set (A on every page touched, D on pages written) only when the copy goes ahead, the way
// the CPU sets them on accesses that complete.
import { E } from '../errno.ts';
import type { AddressSpace } from './address-space.ts';
import { PAGE_SIZE, type PhysicalMemory } from './phys.ts';

/** Whether [va, va+length) lies inside user space (access_ok). */
export function userRangeOk(space: AddressSpace, va: number, length: number): boolean {
  return va >= 0 && length >= 0 && va + length <= space.userTop && Number.isSafeInteger(va + length);
}

/** Whether every page of [va, va+length) allows the user access (reads, or writes). */
export function userAccessible(space: AddressSpace, va: number, length: number, write: boolean): boolean {
  if (!userRangeOk(space, va, length)) return false;
  if (length === 0) return true;
  for (let page = va - (va % PAGE_SIZE); page < va + length; page += PAGE_SIZE) {
    if (space.probe(page, write) < 0) return false;
  }
  return true;
}

/** Reads `length` user bytes at `va`: the bytes, or -EFAULT with nothing touched. */
export function copyFromUser(mem: PhysicalMemory, space: AddressSpace, va: number, length: number): Uint8Array | number {
  if (!userAccessible(space, va, length, false)) return -E.EFAULT;
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const addr = va + done;
    const chunk = Math.min(length - done, PAGE_SIZE - (addr % PAGE_SIZE));
    const pa = space.commit(addr, false);
    out.set(mem.bytes.subarray(pa, pa + chunk), done);
    done += chunk;
  }
  return out;
}

/** Writes `data` to user memory at `va`: 0, -EFAULT with nothing written, or -ENOMEM when a copy-on-write copy finds no frame. */
export function copyToUser(mem: PhysicalMemory, space: AddressSpace, va: number, data: Uint8Array): number {
  const length = data.byteLength;
  if (!userAccessible(space, va, length, true)) return -E.EFAULT;
  // Resolve every page (copy-on-write copies included) before the first byte lands.
  const frames: number[] = [];
  for (let page = va - (va % PAGE_SIZE); page < va + length; page += PAGE_SIZE) {
    const pa = space.commit(page, true);
    if (pa < 0) return -E.ENOMEM;
    frames.push(pa);
  }
  let done = 0;
  let index = 0;
  while (done < length) {
    const addr = va + done;
    const offset = addr % PAGE_SIZE;
    const chunk = Math.min(length - done, PAGE_SIZE - offset);
    mem.set(frames[index++]! + offset, data.subarray(done, done + chunk));
    done += chunk;
  }
  return 0;
}

/**
 * Reads a NUL-terminated user string of at most `limit` bytes including the NUL: the string
 * (bytes decoded as Latin-1 so every byte survives), -EFAULT when a byte before the NUL is not
 * readable, or -ENAMETOOLONG when no NUL comes within `limit` bytes (as Linux's getname does).
 */
export function copyStringFromUser(mem: PhysicalMemory, space: AddressSpace, va: number, limit: number): string | number {
  let text = '';
  let addr = va;
  while (addr - va < limit) {
    if (addr >= space.userTop) return -E.EFAULT;
    const pa = space.probe(addr, false);
    if (pa < 0) return -E.EFAULT;
    const chunk = Math.min(PAGE_SIZE - (addr % PAGE_SIZE), limit - (addr - va));
    const bytes = mem.bytes.subarray(pa, pa + chunk);
    const nul = bytes.indexOf(0);
    space.commit(addr, false);
    if (nul >= 0) return text + latin1(bytes.subarray(0, nul));
    text += latin1(bytes);
    addr += chunk;
  }
  return -E.ENAMETOOLONG;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}
