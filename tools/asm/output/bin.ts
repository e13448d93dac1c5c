// The flat binary format: sections placed one after another from ORG (`.text` first, then the
// other progbits sections, then nobits ones), as NASM's bin output does.
import type { DiagnosticSink } from '../diagnostics.ts';
import type { Section } from '../core/sections.ts';
import type { Layout } from '../core/state.ts';

function alignUp(v: bigint, a: number): bigint {
  const n = BigInt(a);
  return ((v + n - 1n) / n) * n;
}

function effectiveAlign(s: Section): number {
  return Math.max(s.attrs.align, s.alignRequest);
}

function placementOrder(sections: Section[]): Section[] {
  const text = sections.filter((s) => s.name === '.text');
  const progbits = sections.filter((s) => s.name !== '.text' && s.attrs.kind === 'progbits');
  const nobits = sections.filter((s) => s.attrs.kind === 'nobits' && s.name !== '.text');
  const order = [...text, ...progbits, ...nobits];
  // `follows=` moves a section right behind the one it names.
  for (const s of sections) {
    if (!s.attrs.follows) continue;
    const target = order.find((x) => x.name === s.attrs.follows);
    if (!target || target === s) continue;
    order.splice(order.indexOf(s), 1);
    order.splice(order.indexOf(target) + 1, 0, s);
  }
  return order;
}

/** Places the sections; the result gives every section's load and virtual start address. */
export function layoutBin(sections: Section[], org: bigint): Layout {
  const layout: Layout = { vstart: new Map(), start: new Map() };
  let pos = org;
  let first = true;
  for (const s of placementOrder(sections)) {
    let start: bigint;
    if (s.attrs.start !== null) start = s.attrs.start;
    else if (first) start = org;
    else start = alignUp(pos, effectiveAlign(s));
    first = false;
    layout.start.set(s.name, start);
    layout.vstart.set(s.name, s.attrs.vstart ?? start);
    pos = start + BigInt(s.size);
  }
  return layout;
}

/** Whether two layouts place every section at the same addresses. */
export function sameLayout(a: Layout | null, b: Layout): boolean {
  if (!a || a.vstart.size !== b.vstart.size) return false;
  for (const [name, v] of b.vstart) if (a.vstart.get(name) !== v || a.start.get(name) !== b.start.get(name)) return false;
  return true;
}

/** The file image: every progbits section at its load address relative to ORG, gaps zero-filled. */
export function writeBin(sections: Section[], layout: Layout, org: bigint, sink: DiagnosticSink): Uint8Array {
  const placed = sections.filter((s) => s.attrs.kind === 'progbits' && s.size > 0);
  let end = org;
  for (const s of placed) {
    const start = layout.start.get(s.name)!;
    if (start < org) {
      sink.error(null, `section \`${s.name}' begins before the origin (start=0x${start.toString(16)}, org=0x${org.toString(16)})`);
      return new Uint8Array(0);
    }
    const e = start + BigInt(s.size);
    if (e > end) end = e;
  }
  const image = new Uint8Array(Number(end - org));
  const sorted = [...placed].sort((a, b) => Number(layout.start.get(a.name)! - layout.start.get(b.name)!));
  let last = org;
  for (const s of sorted) {
    const start = layout.start.get(s.name)!;
    if (start < last) sink.error(null, `sections overlap: \`${s.name}' starts at 0x${start.toString(16)}`);
    image.set(s.data.bytes(), Number(start - org));
    last = start + BigInt(s.size);
  }
  return image;
}
