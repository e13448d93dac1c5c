// Builds the relocatable object model (sections, symbols, relocations) for the ELF writer.
import type { ObjectModule, ObjectSymbol } from '../object.ts';
import type { PassState } from '../core/state.ts';

/** The object module of a finished final pass. */
export function buildObject(state: PassState, sourceFile: string): ObjectModule {
  const all = [...state.sections.values()];
  const ordered = [...all.filter((s) => !s.implicit), ...all.filter((s) => s.implicit)];
  const sections = ordered.map((s) => ({
    name: s.name,
    align: Math.max(s.attrs.align, s.alignRequest),
    kind: s.attrs.kind,
    alloc: s.attrs.alloc,
    write: s.attrs.write,
    exec: s.attrs.exec,
    data: s.attrs.kind === 'progbits' ? s.data.bytes() : new Uint8Array(0),
    size: s.size,
    relocations: s.relocations,
  }));
  const symbols: ObjectSymbol[] = [];
  for (const name of new Set(state.order)) {
    const def = state.symbols.get(name);
    const info = state.info.get(name);
    if (!def) {
      if (info?.extern && state.usedExterns.has(name)) symbols.push({ name, section: null, value: 0n, binding: 'extern', type: 'notype', size: 0n });
      continue;
    }
    const binding = info?.global ? 'global' : 'local';
    const type = info?.type ?? 'notype';
    const size = info?.size ?? 0n;
    if (def.kind === 'label') {
      symbols.push({ name, section: def.section, value: def.offset, binding, type, size });
    } else if (!def.value.rel) {
      symbols.push({ name, section: null, value: def.value.n, binding, type, size });
    } else if (def.value.rel.isSection) {
      symbols.push({ name, section: def.value.rel.symbol, value: def.value.n, binding, type, size });
    }
  }
  for (const [name, info] of state.info) {
    if (state.symbols.has(name)) continue;
    // NASM turns a global that is never defined into an undefined global, like an extern.
    if (info.global && !info.extern) symbols.push({ name, section: null, value: 0n, binding: 'extern', type: info.type, size: 0n });
  }
  return { elfClass: state.format === 'elf32' ? 32 : 64, sourceFile, sections, symbols };
}
