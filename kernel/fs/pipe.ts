// Pipes: a bounded byte buffer between a read end and a write end, with Linux's semantics:
// reading an empty pipe blocks while a writer exists and finds end of file after the last
// writer closes; writing blocks while the pipe is full; writes of at most PIPE_BUF bytes are
// atomic; writing with no reader left fails with EPIPE (and the write handler raises SIGPIPE).
import { E } from '../errno.ts';
import { block, WaitQueue } from '../proc/wait-queue.ts';
import { O_NONBLOCK, O_RDONLY, O_WRONLY, OpenFile, type FileOps } from './file.ts';
import { Inode, S_IFIFO } from './inode.ts';

/** Capacity of a pipe (Linux's default, 16 pages). */
export const PIPE_CAPACITY = 65536;
/** Writes up to this size are never interleaved with other writers' (POSIX PIPE_BUF). */
export const PIPE_BUF = 4096;

/** The shared state of one pipe. */
export class Pipe {
  private readonly ring = new Uint8Array(PIPE_CAPACITY);
  private head = 0;
  used = 0;
  readers = 1;
  writers = 1;
  readonly readWait = new WaitQueue('pipe_read');
  readonly writeWait = new WaitQueue('pipe_write');

  /** Removes up to `count` buffered bytes. */
  take(count: number): Uint8Array {
    const n = Math.min(count, this.used);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.ring[(this.head + i) % PIPE_CAPACITY]!;
    this.head = (this.head + n) % PIPE_CAPACITY;
    this.used -= n;
    return out;
  }

  /** Appends as much of `data` as fits; returns how much. */
  put(data: Uint8Array): number {
    const n = Math.min(data.length, PIPE_CAPACITY - this.used);
    const tail = (this.head + this.used) % PIPE_CAPACITY;
    for (let i = 0; i < n; i++) this.ring[(tail + i) % PIPE_CAPACITY] = data[i]!;
    this.used += n;
    return n;
  }
}

function readEnd(pipe: Pipe): FileOps {
  return {
    seekable: false,
    read(file, count) {
      if (pipe.used === 0) {
        if (pipe.writers === 0) return new Uint8Array(0);
        return file.flags & O_NONBLOCK ? -E.EAGAIN : block(pipe.readWait);
      }
      const data = pipe.take(count);
      pipe.writeWait.wakeAll();
      return data;
    },
    write: () => -E.EBADF,
    release() {
      pipe.readers--;
      pipe.writeWait.wakeAll();
    },
  };
}

function writeEnd(pipe: Pipe): FileOps {
  return {
    seekable: false,
    read: () => -E.EBADF,
    write(file, data) {
      if (pipe.readers === 0) return -E.EPIPE;
      const room = PIPE_CAPACITY - pipe.used;
      if (room === 0 || (data.length <= PIPE_BUF && room < data.length)) {
        return file.flags & O_NONBLOCK ? -E.EAGAIN : block(pipe.writeWait);
      }
      const n = pipe.put(data);
      pipe.readWait.wakeAll();
      return n;
    },
    release() {
      pipe.writers--;
      pipe.readWait.wakeAll();
    },
  };
}

/** A new pipe's read and write descriptions (one reference each). */
export function createPipe(ino: number, now: number, flags = 0): [OpenFile, OpenFile] {
  const pipe = new Pipe();
  const inode = new Inode(ino, S_IFIFO | 0o600, now);
  return [
    new OpenFile(readEnd(pipe), inode, O_RDONLY | (flags & O_NONBLOCK)),
    new OpenFile(writeEnd(pipe), inode, O_WRONLY | (flags & O_NONBLOCK)),
  ];
}
