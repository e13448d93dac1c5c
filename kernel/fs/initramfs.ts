// Fills the RAM file system from the initramfs archive the boot loader passed as a module.
import { CpioFormatError, unpackCpio } from './cpio.ts';
import { S_IFDIR, S_IFMT, S_IFREG } from './inode.ts';
import type { Ramfs } from './ramfs.ts';

/** Creates every directory and regular file of the newc `archive` in `fs`; returns how many files. Throws CpioFormatError. */
export function loadInitramfs(fs: Ramfs, archive: Uint8Array): number {
  let files = 0;
  for (const entry of unpackCpio(archive)) {
    const path = entry.name.replace(/^\.?\/+/, '');
    if (path === '' || path === '.') continue;
    const type = entry.mode & S_IFMT;
    if (type === S_IFDIR) {
      const dir = fs.mkdirs(path);
      if (typeof dir === 'number') throw new CpioFormatError(`initramfs directory "${path}" clashes with a file`);
      dir.mode = entry.mode;
      continue;
    }
    if (type !== S_IFREG) {
      throw new CpioFormatError(`initramfs member "${path}" has type 0${(type >>> 12).toString(8)}; only directories and regular files are supported`);
    }
    const slash = path.lastIndexOf('/');
    const parent = fs.mkdirs(slash < 0 ? '' : path.slice(0, slash));
    if (typeof parent === 'number') throw new CpioFormatError(`initramfs file "${path}" is under a file`);
    const node = fs.create(parent, path.slice(slash + 1), entry.mode);
    if (typeof node === 'number') throw new CpioFormatError(`initramfs holds "${path}" twice`);
    node.data = entry.data;
    node.size = entry.data.length;
    node.mtime = entry.mtime;
    files++;
  }
  return files;
}
