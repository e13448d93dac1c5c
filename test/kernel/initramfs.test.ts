import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpioFormatError, unpackCpio } from '../../kernel/fs/cpio.ts';
import { loadInitramfs } from '../../kernel/fs/initramfs.ts';
import { Ramfs } from '../../kernel/fs/ramfs.ts';
import { hostTree, packCpio, packInitramfs } from '../../tools/gen/initramfs.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('initramfs (cpio newc)', () => {
  const files = [
    { path: '/bin/sh', data: Uint8Array.from({ length: 1001 }, (_, i) => i & 0xff), perm: 0o755 },
    { path: '/etc/motd', data: enc('welcome\n'), perm: 0o644 },
    { path: '/usr/share/doc/empty', data: new Uint8Array(0), perm: 0o600 },
  ];

  it('round-trips files and adds their directories', () => {
    const archive = packInitramfs(files, 1700000000);
    expect(archive.length % 4).toBe(0);
    const entries = unpackCpio(archive);
    expect(entries.map((e) => e.name)).toEqual(['bin', 'bin/sh', 'etc', 'etc/motd', 'usr', 'usr/share', 'usr/share/doc', 'usr/share/doc/empty']);
    expect(entries[1]!.data).toEqual(files[0]!.data);
    expect(entries[1]!.mode).toBe(0o100755);
    expect(entries[0]!.mode).toBe(0o040755);
    expect(entries[3]!.mtime).toBe(1700000000);
  });

  it('is the format GNU cpio writes: magic, 8-digit hex fields, 4-byte alignment, trailer', () => {
    const archive = packCpio([{ name: 'a', mode: 0o100644, data: enc('xyz'), mtime: 0 }]);
    const text = new TextDecoder('latin1').decode(archive);
    expect(text.slice(0, 6)).toBe('070701');
    expect(text.slice(6 + 6 * 8, 6 + 7 * 8)).toBe('00000003'); // c_filesize
    expect(text.slice(6 + 11 * 8, 6 + 12 * 8)).toBe('00000002'); // c_namesize, NUL included
    expect(text.slice(110, 112)).toBe('a\0');
    expect(text.slice(112, 115)).toBe('xyz'); // 110 + 2 is already 4-aligned
    expect(text).toContain('TRAILER!!!');
  });

  it('loads into the RAM file system', () => {
    const fs = new Ramfs(() => 0);
    expect(loadInitramfs(fs, packInitramfs(files))).toBe(3);
    const sh = fs.lookup(fs.root, '/bin/sh');
    expect(typeof sh).toBe('object');
    if (typeof sh === 'object') expect(sh.data.subarray(0, sh.size)).toEqual(files[0]!.data);
    expect(fs.pathOf(fs.lookup(fs.root, '/usr/share/doc') as never)).toBe('/usr/share/doc');
  });

  it('rejects malformed archives with the offset of the problem', () => {
    const good = packInitramfs(files);
    expect(() => unpackCpio(good.subarray(0, 50))).toThrow(/truncated cpio header at offset 0/);
    const bad = good.slice();
    bad[5] = 0x32; // 070702: the "crc" variant, not newc
    expect(() => unpackCpio(bad)).toThrow(/bad cpio magic "070702" at offset 0 \(expected 070701, the newc format\)/);
    const badHex = good.slice();
    badHex[10] = 0x5a;
    expect(() => unpackCpio(badHex)).toThrow(CpioFormatError);
    expect(() => unpackCpio(good.subarray(0, good.length - 120))).toThrow(/offset/);
    const fifo = packCpio([{ name: 'p', mode: 0o010644, data: new Uint8Array(0), mtime: 0 }]);
    expect(() => loadInitramfs(new Ramfs(() => 0), fifo)).toThrow(/only directories and regular files/);
  });
});

describe('packing a host directory', () => {
  it('takes every file with its permission bits, the directory itself being /', () => {
    const root = mkdtempSync(join(tmpdir(), 'initramfs-'));
    try {
      mkdirSync(join(root, 'bin'));
      writeFileSync(join(root, 'bin', 'hello'), 'ELF?');
      chmodSync(join(root, 'bin', 'hello'), 0o755);
      writeFileSync(join(root, 'readme.txt'), 'read me\n');
      chmodSync(join(root, 'readme.txt'), 0o644);
      const files = hostTree(root);
      expect(files.map((f) => [f.path, f.perm])).toEqual([['/bin/hello', 0o755], ['/readme.txt', 0o644]]);
      const fs = new Ramfs(() => 0);
      loadInitramfs(fs, packInitramfs(files));
      const hello = fs.lookup(fs.root, '/bin/hello');
      expect(typeof hello === 'object' && hello.mode).toBe(0o100755);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
