// An ELF string table under construction: strings appended in order, each NUL-terminated,
// offset 0 holding the empty string, as NASM and ld lay them out.

/** Appends names and remembers where each went. */
export class StringTable {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private length = 1;
  private readonly encoder = new TextEncoder();

  /** Appends `name` and returns its offset; the empty string is always offset 0. */
  add(name: string): number {
    if (name === '') return 0;
    const bytes = this.encoder.encode(name);
    const offset = this.length;
    this.parts.push(bytes, new Uint8Array(1));
    this.length += bytes.length + 1;
    return offset;
  }

  /** The table's bytes. */
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}
