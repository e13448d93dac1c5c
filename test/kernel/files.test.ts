import { describe, expect, it } from 'vitest';
import { KERNEL_BASE } from '../../kernel/arch/i386/address-space.ts';
import { E } from '../../kernel/errno.ts';
import { NOFILE } from '../../kernel/fs/fdtable.ts';
import { O_APPEND, O_CREAT, O_DIRECTORY, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY } from '../../kernel/fs/file.ts';
import { packInitramfs } from '../../tools/gen/initramfs.ts';
import { DATA, Harness, RODATA } from './helpers/harness.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const image = () => packInitramfs([
  { path: '/etc/motd', data: enc('hello from the initramfs\n'), perm: 0o644 },
  { path: '/bin/true', data: enc('not really a program'), perm: 0o755 },
]);

const BUF = DATA + 0x1000;
const PATH = DATA;
const STAT = DATA + 0x3000;

describe('open, read, write, close, lseek', () => {
  it('reads a file from the initramfs', () => {
    const h = new Harness({ initramfs: image() });
    const fd = h.sys('open', h.str(PATH, '/etc/motd'), O_RDONLY, 0);
    expect(fd).toBe(3);
    expect(h.sys('read', fd, BUF, 100)).toBe(25);
    expect(h.text(BUF, 25)).toBe('hello from the initramfs\n');
    expect(h.sys('read', fd, BUF, 100)).toBe(0);
    expect(h.sys('lseek', fd, 6, 0)).toBe(6);
    expect(h.sys('read', fd, BUF, 4)).toBe(4);
    expect(h.text(BUF, 4)).toBe('from');
    expect(h.sys('lseek', fd, -5, 2)).toBe(20);
    expect(h.sys('lseek', fd, -100, 1)).toBe(-E.EINVAL);
    expect(h.sys('lseek', fd, 0, 3)).toBe(-E.EINVAL);
    expect(h.sys('close', fd)).toBe(0);
    expect(h.sys('close', fd)).toBe(-E.EBADF);
  });

  it('creates, appends, truncates, and enforces O_EXCL and access modes', () => {
    const h = new Harness();
    const fd = h.sys('open', h.str(PATH, '/tmp/x'), O_WRONLY | O_CREAT | O_TRUNC, 0o644);
    h.poke(BUF, 'abcdef');
    expect(h.sys('write', fd, BUF, 6)).toBe(6);
    expect(h.sys('read', fd, BUF, 6)).toBe(-E.EBADF);
    expect(h.sys('open', PATH, O_WRONLY | O_CREAT | O_EXCL, 0o644)).toBe(-E.EEXIST);
    const app = h.sys('open', PATH, O_WRONLY | O_APPEND, 0);
    expect(h.sys('write', app, BUF, 2)).toBe(2);
    expect(h.sys('stat', PATH, STAT)).toBe(0);
    expect(h.peek32(STAT + 20)).toBe(8); // st_size
    expect(h.peek32(STAT + 8) & 0xffff).toBe(0o100644); // st_mode (umask 022)
    const rd = h.sys('open', PATH, O_RDONLY, 0);
    expect(h.sys('write', rd, BUF, 1)).toBe(-E.EBADF);
    expect(h.sys('open', PATH, O_WRONLY | O_TRUNC, 0)).toBeGreaterThan(0);
    expect(h.sys('fstat', rd, STAT)).toBe(0);
    expect(h.peek32(STAT + 20)).toBe(0);
    expect(h.sys('open', PATH, 3, 0)).toBe(-E.EINVAL);
  });

  it('answers ENOENT, ENOTDIR, EISDIR, ENAMETOOLONG with Linux\'s rules', () => {
    const h = new Harness({ initramfs: image() });
    expect(h.sys('open', h.str(PATH, '/nope'), O_RDONLY, 0)).toBe(-E.ENOENT);
    expect(h.sys('open', h.str(PATH, ''), O_RDONLY, 0)).toBe(-E.ENOENT);
    expect(h.sys('open', h.str(PATH, '/etc/motd/x'), O_RDONLY, 0)).toBe(-E.ENOTDIR);
    expect(h.sys('open', h.str(PATH, '/etc/motd'), O_RDONLY | O_DIRECTORY, 0)).toBe(-E.ENOTDIR);
    expect(h.sys('open', h.str(PATH, '/etc'), O_RDWR, 0)).toBe(-E.EISDIR);
    expect(h.sys('open', h.str(PATH, '/nodir/x'), O_WRONLY | O_CREAT, 0o644)).toBe(-E.ENOENT);
    expect(h.sys('open', h.str(PATH, `/${'a'.repeat(256)}`), O_RDONLY, 0)).toBe(-E.ENAMETOOLONG);
    const dir = h.sys('open', h.str(PATH, '/etc'), O_RDONLY, 0);
    expect(h.sys('read', dir, BUF, 10)).toBe(-E.EISDIR);
  });

  it('answers EOVERFLOW past 2 GiB and EFBIG beyond the largest file, without allocating it', () => {
    const h = new Harness();
    const fd = h.sys('open', h.str(PATH, '/tmp/big'), O_RDWR | O_CREAT, 0o644);
    expect(h.sys('lseek', fd, 0x7fffffff, 0)).toBe(0x7fffffff);
    expect(h.sys('lseek', fd, 1, 1)).toBe(-E.EOVERFLOW);
    expect(h.sys('lseek', fd, 0x80000000, 0)).toBe(-E.EINVAL); // a negative off_t
    expect(h.sys('write', fd, BUF, 1)).toBe(-E.EFBIG);
    expect(h.sys('fstat', fd, STAT)).toBe(0);
    expect(h.peek32(STAT + 20)).toBe(0);
  });

  it('answers EMFILE when the table is full, before creating anything', () => {
    const h = new Harness();
    for (let fd = 3; fd < NOFILE; fd++) expect(h.sys('dup', 0)).toBe(fd);
    expect(h.sys('open', h.str(PATH, '/tmp/new'), O_WRONLY | O_CREAT, 0o644)).toBe(-E.EMFILE);
    expect(h.sys('stat', PATH, STAT)).toBe(-E.ENOENT);
    expect(h.sys('dup', 0)).toBe(-E.EMFILE);
    expect(h.sys('pipe', STAT)).toBe(-E.EMFILE);
  });
});

describe('bad file descriptors and bad pointers', () => {
  const h = new Harness({ initramfs: image() });
  const fd = h.sys('open', h.str(PATH, '/etc/motd'), O_RDONLY, 0);

  it.each([-1, 0xffffffff, 64, 1000, 17])('read, write, close, fstat, lseek, dup, getdents answer EBADF for fd %d', (bad) => {
    expect(h.sys('read', bad, BUF, 1)).toBe(-E.EBADF);
    expect(h.sys('write', bad, BUF, 1)).toBe(-E.EBADF);
    expect(h.sys('close', bad)).toBe(-E.EBADF);
    expect(h.sys('fstat', bad, STAT)).toBe(-E.EBADF);
    expect(h.sys('lseek', bad, 0, 0)).toBe(-E.EBADF);
    expect(h.sys('dup', bad)).toBe(-E.EBADF);
    expect(h.sys('dup2', bad, 5)).toBe(-E.EBADF);
    expect(h.sys('getdents', bad, BUF, 512)).toBe(-E.EBADF);
  });

  const bad: [string, number][] = [
    ['NULL', 0], ['unmapped', 0x30000000], ['kernel', KERNEL_BASE], ['last kernel byte', 0xffffffff],
    ['straddling into unmapped', DATA + 8 * 4096 - 3],
  ];
  it.each(bad)('read into a %s buffer answers EFAULT and consumes nothing', (_label, va) => {
    h.sys('lseek', fd, 0, 0);
    expect(h.sys('read', fd, va, 10)).toBe(-E.EFAULT);
    expect(h.sys('lseek', fd, 0, 1)).toBe(0);
  });

  it('read into a read-only page answers EFAULT; write from it works', () => {
    expect(h.sys('read', fd, RODATA, 10)).toBe(-E.EFAULT);
    expect(h.sys('fstat', fd, RODATA)).toBe(-E.EFAULT);
    const out: string[] = [];
    h.kernel.console.attach((b) => out.push(new TextDecoder().decode(b)));
    expect(h.sys('write', 1, RODATA, 4)).toBe(4);
    expect(out.join('')).toBe('\0\0\0\0');
  });

  it.each(bad)('write from a %s buffer answers EFAULT and writes nothing', (_label, va) => {
    const out: Uint8Array[] = [];
    h.kernel.console.attach((b) => out.push(b));
    expect(h.sys('write', 1, va, 10)).toBe(-E.EFAULT);
    expect(out).toEqual([]);
  });

  it.each(bad)('path and struct arguments at a %s address answer EFAULT', (_label, va) => {
    // A string must run into the unmapped page without a NUL to fault.
    if (va === DATA + 8 * 4096 - 3) h.poke(va, 'abc');
    expect(h.sys('open', va, O_RDONLY, 0)).toBe(-E.EFAULT);
    expect(h.sys('stat', va, STAT)).toBe(-E.EFAULT);
    expect(h.sys('stat', h.str(PATH, '/etc/motd'), va)).toBe(-E.EFAULT);
    expect(h.sys('fstat', fd, va)).toBe(-E.EFAULT);
    expect(h.sys('pipe', va)).toBe(-E.EFAULT);
    expect(h.sys('uname', va)).toBe(-E.EFAULT);
    expect(h.sys('clock_gettime', 0, va)).toBe(-E.EFAULT);
    if (va !== 0) expect(h.sys('gettimeofday', va, 0)).toBe(-E.EFAULT);
    expect(h.sys('nanosleep', va, 0)).toBe(-E.EFAULT);
    expect(h.sys('chdir', va)).toBe(-E.EFAULT);
    expect(h.sys('mkdir', va, 0o755)).toBe(-E.EFAULT);
    expect(h.sys('unlink', va)).toBe(-E.EFAULT);
    expect(h.sys('execve', va, 0, 0)).toBe(-E.EFAULT);
    // "/" and its NUL fit in the 3 valid bytes of the straddling buffer, so getcwd succeeds there.
    expect(h.sys('getcwd', va, 100)).toBe(va === DATA + 8 * 4096 - 3 ? 2 : -E.EFAULT);
  });

  it('a buffer straddling two valid pages works, and so does one ending on the last byte of a page', () => {
    h.sys('lseek', fd, 0, 0);
    expect(h.sys('read', fd, DATA + 4096 - 5, 25)).toBe(25);
    expect(h.text(DATA + 4096 - 5, 25)).toBe('hello from the initramfs\n');
    h.sys('lseek', fd, 0, 0);
    expect(h.sys('read', fd, DATA + 8 * 4096 - 5, 5)).toBe(5);
    expect(h.sys('time', DATA + 8 * 4096 - 4)).toBeGreaterThan(0);
    expect(h.sys('time', DATA + 8 * 4096 - 3)).toBe(-E.EFAULT);
  });
});

describe('dup, dup2 and shared offsets', () => {
  it('shares the offset between duplicates', () => {
    const h = new Harness({ initramfs: image() });
    const fd = h.sys('open', h.str(PATH, '/etc/motd'), O_RDONLY, 0);
    const copy = h.sys('dup', fd);
    expect(copy).toBe(fd + 1);
    h.sys('read', fd, BUF, 6);
    expect(h.sys('lseek', copy, 0, 1)).toBe(6);
    expect(h.sys('dup2', fd, 10)).toBe(10);
    expect(h.sys('dup2', fd, fd)).toBe(fd);
    expect(h.sys('dup2', fd, NOFILE)).toBe(-E.EBADF);
    expect(h.sys('dup2', fd, -1)).toBe(-E.EBADF);
    h.sys('close', fd);
    expect(h.sys('read', 10, BUF, 4)).toBe(4);
    expect(h.text(BUF, 4)).toBe('from');
  });
});

describe('directories', () => {
  it('mkdir, chdir, getcwd, getdents, rmdir, unlink', () => {
    const h = new Harness({ initramfs: image() });
    expect(h.sys('mkdir', h.str(PATH, '/tmp/a'), 0o755)).toBe(0);
    expect(h.sys('mkdir', PATH, 0o755)).toBe(-E.EEXIST);
    expect(h.sys('mkdir', h.str(PATH, '/tmp/none/b'), 0o755)).toBe(-E.ENOENT);
    expect(h.sys('chdir', h.str(PATH, '/tmp/a'))).toBe(0);
    expect(h.sys('getcwd', BUF, 100)).toBe(7);
    expect(h.text(BUF, 7)).toBe('/tmp/a\0');
    expect(h.sys('getcwd', BUF, 6)).toBe(-E.ERANGE);
    expect(h.sys('getcwd', BUF, 0)).toBe(-E.ERANGE);
    expect(h.sys('chdir', h.str(PATH, '/etc/motd'))).toBe(-E.ENOTDIR);
    expect(h.sys('chdir', h.str(PATH, '..'))).toBe(0);
    expect(h.sys('getcwd', BUF, 100)).toBe(5);
    const fd = h.sys('open', h.str(PATH, 'a/f'), O_WRONLY | O_CREAT, 0o600);
    expect(fd).toBeGreaterThan(2);
    expect(h.sys('rmdir', h.str(PATH, 'a'))).toBe(-E.ENOTEMPTY);
    expect(h.sys('unlink', h.str(PATH, 'a'))).toBe(-E.EISDIR);
    expect(h.sys('rmdir', h.str(PATH, 'a/f'))).toBe(-E.ENOTDIR);
    expect(h.sys('unlink', h.str(PATH, 'a/f'))).toBe(0);
    expect(h.sys('unlink', h.str(PATH, 'a/f'))).toBe(-E.ENOENT);
    expect(h.sys('rmdir', h.str(PATH, '/'))).toBe(-E.EBUSY);
    expect(h.sys('rmdir', h.str(PATH, 'a'))).toBe(0);

    const dir = h.sys('open', h.str(PATH, '/etc'), O_RDONLY | O_DIRECTORY, 0);
    expect(h.sys('getdents', dir, BUF, 10)).toBe(-E.EINVAL);
    const n = h.sys('getdents', dir, BUF, 4096);
    const names: string[] = [];
    const bytes = h.peek(BUF, n);
    const view = new DataView(bytes.buffer);
    for (let at = 0; at < n; at += view.getUint16(at + 8, true)) {
      const reclen = view.getUint16(at + 8, true);
      names.push(new TextDecoder().decode(bytes.subarray(at + 10, at + 10 + bytes.subarray(at + 10).indexOf(0))) + ':' + bytes[at + reclen - 1]);
    }
    expect(names).toEqual(['.:4', '..:4', 'motd:8']);
    expect(h.sys('getdents', dir, BUF, 4096)).toBe(0);
    const file = h.sys('open', h.str(PATH, '/etc/motd'), O_RDONLY, 0);
    expect(h.sys('getdents', file, BUF, 4096)).toBe(-E.ENOTDIR);
  });
});

describe('information calls', () => {
  it('uname, time, gettimeofday and clock_gettime come from the virtual clock', () => {
    const h = new Harness();
    h.clock.advance(2_500_000_000);
    expect(h.sys('uname', BUF)).toBe(0);
    expect(h.text(BUF, 10)).toBe('SyscallKit');
    expect(h.text(BUF + 4 * 65, 4)).toBe('i686');
    expect(h.sys('time', 0)).toBe(1767225602);
    expect(h.sys('gettimeofday', BUF, BUF + 8)).toBe(0);
    expect([h.peek32(BUF), h.peek32(BUF + 4)]).toEqual([1767225602, 500000]);
    expect(h.sys('clock_gettime', 1, BUF)).toBe(0);
    expect([h.peek32(BUF), h.peek32(BUF + 4)]).toEqual([2, 500000000]);
    expect(h.sys('clock_gettime', 99, BUF)).toBe(-E.EINVAL);
    expect(h.sys('ioctl', 0, 0x5401, BUF)).toBe(0);
    expect(h.sys('ioctl', 0, 0x540f, BUF)).toBe(0);
    expect(h.peek32(BUF)).toBe(1);
    expect(h.sys('ioctl', 0, 0x1234, BUF)).toBe(-E.ENOTTY);
    const fd = h.sys('open', h.str(PATH, '/dev/null'), O_RDWR, 0);
    expect(h.sys('ioctl', fd, 0x5401, BUF)).toBe(-E.ENOTTY);
    expect(h.sys('read', fd, BUF, 10)).toBe(0);
    expect(h.sys('write', fd, BUF, 10)).toBe(10);
  });
});

describe('descriptors across fork', () => {
  it('the child gets its own table but shares open files and their offsets', () => {
    const h = new Harness({ initramfs: image() });
    const fd = h.sys('open', h.str(PATH, '/etc/motd'), O_RDONLY, 0);
    const child = h.sys('fork');
    h.sys('read', fd, BUF, 6); // the parent reads "hello "
    h.sys('close', fd); // and closes its descriptor: the child's stays open
    h.sys('sched_yield');
    expect(h.current.pid).toBe(child);
    expect(h.sys('read', fd, BUF, 4)).toBe(4);
    expect(h.text(BUF, 4)).toBe('from');
    expect(h.sys('open', h.str(PATH, '/etc/motd'), O_RDONLY, 0)).toBe(fd + 1);
  });

  it('a console read returns 0 at Ctrl-D on an empty line, and EAGAIN with O_NONBLOCK', () => {
    const h = new Harness();
    const nb = h.sys('open', h.str(PATH, '/dev/tty'), O_RDONLY | 0o4000, 0);
    expect(h.sys('read', nb, BUF, 10)).toBe(-E.EAGAIN);
    const read = h.call('read', 0, BUF, 100);
    h.kernel.keyboardInput(4);
    expect(read.value).toBe(0);
  });
});
