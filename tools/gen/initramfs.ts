// Packs the initramfs: a newc cpio archive of the userland programs and text files, which the
// kernel unpacks into its RAM file system at boot (kernel/fs/cpio.ts reads the same format).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { align4, FIELDS, HEADER_BYTES, NEWC_MAGIC, TRAILER, type CpioEntry } from '../../kernel/fs/cpio.ts';
import { S_IFDIR, S_IFMT, S_IFREG } from '../../kernel/fs/inode.ts';

/** A file to put in the image. */
export interface InitramfsFile {
  /** Absolute path inside the guest ("/bin/sh"). */
  readonly path: string;
  readonly data: Uint8Array;
  /** Permission bits; programs want 0o755. */
  readonly perm: number;
}

/** Packs `entries` as given (directories before what they hold), then the trailer. */
export function packCpio(entries: readonly CpioEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const encoder = new TextEncoder();
  const member = (name: string, mode: number, data: Uint8Array, mtime: number, ino: number): void => {
    const nameBytes = encoder.encode(`${name}\0`);
    const values: Record<(typeof FIELDS)[number], number> = {
      ino, mode, uid: 0, gid: 0, nlink: (mode & S_IFMT) === S_IFDIR ? 2 : 1, mtime, filesize: data.length,
      devmajor: 0, devminor: 0, rdevmajor: 0, rdevminor: 0, namesize: nameBytes.length, check: 0,
    };
    const head = new Uint8Array(align4(HEADER_BYTES + nameBytes.length));
    head.set(encoder.encode(NEWC_MAGIC + FIELDS.map((f) => values[f].toString(16).toUpperCase().padStart(8, '0')).join('')));
    head.set(nameBytes, HEADER_BYTES);
    const body = new Uint8Array(align4(data.length));
    body.set(data);
    chunks.push(head, body);
  };
  entries.forEach((e, i) => member(e.name.replace(/^\/+/, ''), e.mode, e.data, e.mtime, i + 1));
  member(TRAILER, 0, new Uint8Array(0), 0, 0);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Packs `files` with every directory above them (mode 0755), sorted by path so the image is the
 * same for the same input; `mtime` stamps every member (fixed, for reproducible images).
 */
export function packInitramfs(files: readonly InitramfsFile[], mtime = 0): Uint8Array {
  const dirs = new Set<string>();
  for (const f of files) {
    const parts = f.path.split('/').filter((p) => p !== '');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const entries: CpioEntry[] = [
    ...[...dirs].map((name) => ({ name, mode: S_IFDIR | 0o755, data: new Uint8Array(0), mtime })),
    ...files.map((f) => ({ name: f.path.replace(/^\/+/, ''), mode: S_IFREG | (f.perm & 0o7777), data: f.data, mtime })),
  ];
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return packCpio(entries);
}

/** Every regular file under host directory `root`, as guest paths from "/" with the host's permission bits. */
export function hostTree(root: string): InitramfsFile[] {
  const files: InitramfsFile[] = [];
  const walk = (dir: string, guest: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const host = join(dir, name);
      const st = statSync(host);
      if (st.isDirectory()) walk(host, `${guest}${name}/`);
      else if (st.isFile()) files.push({ path: `${guest}${name}`, data: new Uint8Array(readFileSync(host)), perm: st.mode & 0o777 });
    }
  };
  walk(root, '/');
  return files;
}

const USAGE = 'usage: initramfs.ts -o OUTPUT.cpio DIR...   (packs every file under each DIR, DIR itself being /)';

function main(argv: readonly string[]): number {
  const o = argv.indexOf('-o');
  const output = o >= 0 ? argv[o + 1] : undefined;
  const dirs = argv.filter((_, i) => i !== o && i !== o + 1);
  if (!output || dirs.length === 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    writeFileSync(output, packInitramfs(dirs.flatMap(hostTree)));
    return 0;
  } catch (error) {
    process.stderr.write(`initramfs: ${(error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
