// getdents(fd, dirp, count): directory entries as struct linux_dirent records: ".", "..", then
// the entries in creation order. The file offset counts entries, so reads continue where they stopped.
import { E } from '../errno.ts';
import type { SyscallHandler } from './dispatch.ts';
import { fileOf } from './helpers.ts';

/** Bytes filled (0 at the end), or -EBADF, -ENOTDIR, -EINVAL (buffer too small for one entry), -EFAULT. */
export const sysGetdents: SyscallHandler = (k, p, [fd, dirp, count]) => {
  const file = fileOf(p, fd!);
  if (!file) return -E.EBADF;
  const dir = file.inode;
  if (!dir.children) return -E.ENOTDIR;
  const entries: [string, number, number][] = [
    ['.', dir.ino, dir.direntType],
    ['..', (dir.parent ?? dir).ino, dir.direntType],
    ...[...dir.children].map(([name, node]): [string, number, number] => [name, node.ino, node.direntType]),
  ];
  const records: Uint8Array[] = [];
  let used = 0;
  let index = file.offset;
  for (; index < entries.length; index++) {
    const [name, ino, type] = entries[index]!;
    const record = k.abi.encodeDirent(ino, index + 1, type, name);
    if (used + record.length > count!) break;
    records.push(record);
    used += record.length;
  }
  if (records.length === 0 && index < entries.length) return -E.EINVAL;
  const out = new Uint8Array(used);
  let at = 0;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  const r = k.copyOut(p, dirp!, out);
  if (r < 0) return r;
  file.offset = index;
  return used;
};
