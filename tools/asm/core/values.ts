// Symbol values as expressions see them during a pass: labels become addresses (bin) or
// section-relative relocatable values (ELF); forward references read the previous pass.
import { ExprError, type EvalEnv, type EvalValue } from '../expr.ts';
import type { Value } from '../instruction.ts';
import { currentSection } from './emit.ts';
import type { PassState, SymbolDef } from './state.ts';

/** Whether two symbol definitions give the same value. */
export function sameDef(a: SymbolDef | undefined, b: SymbolDef): boolean {
  if (!a || a.kind !== b.kind) return false;
  if (a.kind === 'label' && b.kind === 'label') return a.section === b.section && a.offset === b.offset;
  if (a.kind !== 'equ' || b.kind !== 'equ') return false;
  const x = a.value;
  const y = b.value;
  return x.n === y.n && x.known === y.known && x.rel?.symbol === y.rel?.symbol && x.minus?.symbol === y.minus?.symbol;
}

const constant = (n: bigint, known = true): EvalValue => ({ n, rel: null, minus: null, known });

/** The value a label at `offset` in `section` has in expressions. */
export function labelValue(state: PassState, section: string | null, offset: bigint): EvalValue {
  if (section === null) return constant(offset);
  const rel = { symbol: section, isSection: true };
  if (state.format !== 'bin') return { n: offset, rel, minus: null, known: true };
  // In flat binaries a label is still relative to its section, as in NASM (no shifts or products
  // of labels, full-size fields in instructions), but its value is already the final address.
  const sec = state.sections.get(section);
  let base = state.previousLayout?.vstart.get(section);
  if (base === undefined && section === '.text' && sec && sec.attrs.start === null) base = sec.attrs.vstart ?? state.org;
  if (base === undefined && sec && sec.attrs.vstart !== null) base = sec.attrs.vstart;
  if (base === undefined) state.usedUnknown = true;
  return { n: (base ?? 0n) + offset, rel, minus: null, known: base !== undefined };
}

/** Where a section's labels start: its virtual address in flat binaries, 0 in objects (labels are offsets there). */
export function sectionBase(state: PassState, section: string): bigint {
  if (state.format !== 'bin') return 0n;
  const sec = state.sections.get(section);
  return state.previousLayout?.vstart.get(section) ?? (section === '.text' && sec?.attrs.start === null ? (sec.attrs.vstart ?? state.org) : (sec?.attrs.vstart ?? 0n));
}

function definedValue(state: PassState, def: SymbolDef): EvalValue {
  return def.kind === 'equ' ? def.value : labelValue(state, def.section, def.offset);
}

/** The current position (`$`): the start of the line (of this TIMES repetition), not of the item being assembled. */
export function here(state: PassState): EvalValue {
  if (state.absolute !== null) return constant(state.lineStart ?? state.absolute);
  const s = currentSection(state);
  return labelValue(state, s.name, state.lineStart ?? BigInt(s.size));
}

/** The expression environment for the current point of the pass (one per pass, it reads the state live). */
export function environment(state: PassState): EvalEnv {
  if (!state.env) state.env = makeEnvironment(state);
  return state.env;
}

function makeEnvironment(state: PassState): EvalEnv {
  return {
    final: state.final,
    flat: state.format === 'bin',
    here: () => here(state),
    base: () => (state.absolute !== null ? constant(state.absolute) : labelValue(state, currentSection(state).name, 0n)),
    symbol: (name) => {
      const info = state.info.get(name);
      if (info?.extern && !state.symbols.has(name)) {
        if (state.format === 'bin') throw new ExprError(`binary output format does not support external references (\`${name}')`);
        state.usedExterns.add(name);
        return { n: 0n, rel: { symbol: name, isSection: false }, minus: null, known: true };
      }
      const now = state.symbols.get(name);
      if (now) return definedValue(state, now);
      const before = state.previous.get(name);
      if (before) return definedValue(state, before);
      // Every label is defined in every pass, so only the first pass meets true forward references.
      if (state.pass === 1) state.usedUnknown = true;
      return null;
    },
  };
}

/** Converts an evaluated value to what the encoder receives; position-relative values are only valid in data. */
export function toValue(v: EvalValue): Value {
  if (v.minus) throw new ExprError('invalid operand type');
  return { value: v.n, reloc: v.rel, known: v.known };
}
