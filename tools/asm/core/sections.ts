// Sections as the assembler fills them, and the attributes NASM gives each section name by default.
import type { Relocation } from '../object.ts';

/** A growable byte buffer. */
export class ByteBuffer {
  private buf = new Uint8Array(256);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  push(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  zeros(n: number): void {
    this.ensure(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export interface SectionAttributes {
  kind: 'progbits' | 'nobits';
  alloc: boolean;
  write: boolean;
  exec: boolean;
  align: number;
  /** bin only: fixed load address, virtual start, and placement after another section. */
  start: bigint | null;
  vstart: bigint | null;
  follows: string | null;
  vfollows: string | null;
}

export class Section {
  readonly data = new ByteBuffer();
  /** Size in bytes; for nobits sections nothing is stored. */
  size = 0;
  readonly relocations: Relocation[] = [];
  /** Highest alignment requested with ALIGN/SECTALIGN; raises the section's alignment in objects. */
  alignRequest = 1;
  /** Created by use rather than by a SECTION line (the default `.text`). */
  implicit = false;
  constructor(
    readonly name: string,
    public attrs: SectionAttributes,
  ) {}
}

const ELF_DEFAULTS: Record<string, Partial<SectionAttributes>> = {
  '.text': { kind: 'progbits', alloc: true, exec: true, write: false, align: 16 },
  '.rodata': { kind: 'progbits', alloc: true, exec: false, write: false, align: 4 },
  '.lrodata': { kind: 'progbits', alloc: true, exec: false, write: false, align: 4 },
  '.data': { kind: 'progbits', alloc: true, exec: false, write: true, align: 4 },
  '.ldata': { kind: 'progbits', alloc: true, exec: false, write: true, align: 4 },
  '.bss': { kind: 'nobits', alloc: true, exec: false, write: true, align: 4 },
  '.lbss': { kind: 'nobits', alloc: true, exec: false, write: true, align: 4 },
  '.tdata': { kind: 'progbits', alloc: true, exec: false, write: true, align: 4 },
  '.tbss': { kind: 'nobits', alloc: true, exec: false, write: true, align: 4 },
  '.comment': { kind: 'progbits', alloc: false, exec: false, write: false, align: 1 },
  '.init_array': { kind: 'progbits', alloc: true, exec: false, write: true, align: 4 },
  '.fini_array': { kind: 'progbits', alloc: true, exec: false, write: true, align: 4 },
  '.preinit_array': { kind: 'progbits', alloc: true, exec: false, write: true, align: 4 },
  '.note': { kind: 'progbits', alloc: false, exec: false, write: false, align: 4 },
};

/** NASM's default attributes for a section name in the given output format. */
export function defaultAttributes(name: string, format: 'bin' | 'elf32' | 'elf64'): SectionAttributes {
  const base: SectionAttributes = {
    kind: 'progbits', alloc: true, write: false, exec: false, align: 1,
    start: null, vstart: null, follows: null, vfollows: null,
  };
  if (format === 'bin') {
    const nobits = name === '.bss' || name.startsWith('.bss.');
    return { ...base, kind: nobits ? 'nobits' : 'progbits', exec: name === '.text', write: true, align: 4 };
  }
  const d = ELF_DEFAULTS[name] ?? {};
  const arrays = ['.init_array', '.fini_array', '.preinit_array'];
  const align = arrays.includes(name) && format === 'elf64' ? 8 : (d.align ?? 1);
  return { ...base, ...d, align };
}

/** Applies `progbits`, `nobits`, `align=`, `start=`... written after a SECTION name; returns an error message or null. */
export function applyAttribute(attrs: SectionAttributes, key: string, value: bigint | string | null): string | null {
  switch (key) {
    case 'progbits': case 'nobits': attrs.kind = key; return null;
    case 'alloc': case 'noalloc': attrs.alloc = key === 'alloc'; return null;
    case 'write': case 'nowrite': attrs.write = key === 'write'; return null;
    case 'exec': case 'noexec': attrs.exec = key === 'exec'; return null;
    case 'align': {
      if (typeof value !== 'bigint' || value <= 0n || (value & (value - 1n)) !== 0n) return 'argument to `align\' is not a power of two';
      attrs.align = Number(value);
      return null;
    }
    case 'start': case 'vstart':
      if (typeof value !== 'bigint') return `\`${key}=' expects a number`;
      attrs[key] = value;
      return null;
    case 'follows': case 'vfollows':
      if (typeof value !== 'string') return `\`${key}=' expects a section name`;
      attrs[key] = value;
      return null;
    case 'tls': case 'data': case 'code': case 'text': case 'bss': case 'rdata': case 'info': case 'note':
      return null;
    default:
      return `unknown section attribute \`${key}'`;
  }
}
