// Encoding of DB/DW/DD/DQ/DT/DO items: integers little-endian with NASM's range warnings,
// strings padded to whole units, and floating-point constants in IEEE formats.
import { ExprError } from '../expr.ts';

/** Little-endian bytes of `value` truncated to `size` bytes. */
export function littleEndian(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let v = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

const UNIT_NAMES: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword' };

/** NASM's overflow warning for an integer stored in `size` bytes, or null when it fits. */
export function rangeWarning(value: bigint, size: number): string | null {
  const name = UNIT_NAMES[size];
  if (!name) return null;
  const limit = 1n << BigInt(size * 8);
  if (value >= limit || value < -limit) return `${name} data exceeds bounds [-w+number-overflow]`;
  return null;
}

function parseFloatText(text: string, negative: boolean): number {
  const t = text.replace(/_/g, '');
  const v = /^0x/i.test(t) ? parseHexFloat(t.slice(2)) : Number(t);
  if (Number.isNaN(v)) throw new ExprError(`invalid floating-point constant \`${text}'`);
  return negative ? -v : v;
}

function parseHexFloat(t: string): number {
  const m = /^([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(t);
  if (!m) return NaN;
  const frac = m[2] ?? '';
  const mant = parseInt((m[1] || '0') + frac, 16);
  return mant * 2 ** (Number(m[3] ?? 0) - 4 * frac.length);
}

function half(v: number): Uint8Array {
  const f = new DataView(new ArrayBuffer(4));
  f.setFloat32(0, v, true);
  const bits = f.getUint32(0, true);
  const sign = (bits >>> 16) & 0x8000;
  const exp = ((bits >>> 23) & 0xff) - 127 + 15;
  let mant = bits & 0x7fffff;
  let h: number;
  if (((bits >>> 23) & 0xff) === 0xff) h = sign | 0x7c00 | (mant ? 0x200 : 0);
  else if (exp >= 0x1f) h = sign | 0x7c00;
  else if (exp <= 0) {
    if (exp < -10) h = sign;
    else {
      mant |= 0x800000;
      const shift = 14 - exp;
      const rounded = (mant >> shift) + ((mant >> (shift - 1)) & 1);
      h = sign | rounded;
    }
  } else {
    h = sign | (exp << 10) | (mant >> 13);
    if (mant & 0x1000 && (mant & 0x2fff) !== 0) h++;
  }
  return Uint8Array.of(h & 0xff, h >> 8);
}

/** A decimal constant as an exact fraction: `num / den`, or null when it is not plain decimal. */
function exactDecimal(text: string): { num: bigint; den: bigint } | null {
  const m = /^([0-9]*)(?:\.([0-9]*))?(?:e([+-]?[0-9]+))?$/i.exec(text.replace(/_/g, ''));
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  const frac = m[2] ?? '';
  const exp = Number(m[3] ?? 0) - frac.length;
  const digits = BigInt((m[1] || '0') + frac);
  return exp >= 0 ? { num: digits * 10n ** BigInt(exp), den: 1n } : { num: digits, den: 10n ** BigInt(-exp) };
}

/** The 80-bit extended encoding of num/den, rounded to nearest even from the exact value (a double would lose bits). */
function extendedExact(num: bigint, den: bigint, negative: boolean): Uint8Array {
  const out = new Uint8Array(10);
  if (num === 0n) {
    out[9] = negative ? 0x80 : 0;
    return out;
  }
  // Find e with 2^63 <= num * 2^-e / den < 2^64, then round the quotient.
  let e = num.toString(2).length - den.toString(2).length - 63;
  const quotient = (shift: number): { q: bigint; r: bigint; d: bigint } => {
    const n = shift <= 0 ? num << BigInt(-shift) : num;
    const d = shift > 0 ? den << BigInt(shift) : den;
    return { q: n / d, r: n % d, d };
  };
  let { q, r, d } = quotient(e);
  while (q >= 1n << 64n) ({ q, r, d } = quotient(++e));
  while (q < 1n << 63n) ({ q, r, d } = quotient(--e));
  if (2n * r > d || (2n * r === d && (q & 1n) === 1n)) q++;
  if (q === 1n << 64n) {
    q >>= 1n;
    e++;
  }
  const biased = e + 63 + 16383;
  if (biased >= 0x7fff) return extended(negative ? -Infinity : Infinity);
  if (biased <= 0) return extended(negative ? -0 : 0);
  out.set(littleEndian(q, 8), 0);
  out[8] = biased & 0xff;
  out[9] = (biased >> 8) | (negative ? 0x80 : 0);
  return out;
}

function extended(v: number): Uint8Array {
  const out = new Uint8Array(10);
  const d = new DataView(new ArrayBuffer(8));
  d.setFloat64(0, v, true);
  const bits = d.getBigUint64(0, true);
  const sign = Number(bits >> 63n);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  let e80: number;
  let m80: bigint;
  if (exp === 0 && frac === 0n) [e80, m80] = [0, 0n];
  else if (exp === 0x7ff) [e80, m80] = [0x7fff, (1n << 63n) | (frac << 11n)];
  else if (exp === 0) {
    // A double subnormal is a normal number in the wider exponent range.
    const shift = 64 - frac.toString(2).length;
    [e80, m80] = [16383 - 1022 - (shift - 11), frac << BigInt(shift)];
  } else [e80, m80] = [exp - 1023 + 16383, (1n << 63n) | (frac << 11n)];
  out.set(littleEndian(m80, 8), 0);
  out[8] = e80 & 0xff;
  out[9] = (e80 >> 8) | (sign << 7);
  return out;
}

/** Encodes a floating-point constant for a data unit of `size` bytes. */
export function floatBytes(text: string, negative: boolean, size: number): Uint8Array {
  const v = parseFloatText(text, negative);
  switch (size) {
    case 2:
      return half(v);
    case 4: {
      const d = new DataView(new ArrayBuffer(4));
      d.setFloat32(0, v, true);
      return new Uint8Array(d.buffer);
    }
    case 8: {
      const d = new DataView(new ArrayBuffer(8));
      d.setFloat64(0, v, true);
      return new Uint8Array(d.buffer);
    }
    case 10: {
      const exact = exactDecimal(text);
      return exact ? extendedExact(exact.num, exact.den, negative) : extended(v);
    }
    default:
      throw new ExprError(`floating-point constant not supported in ${size}-byte data`);
  }
}

/** A string in a data directive: its bytes padded with zeros to a whole number of units. */
export function stringBytes(bytes: Uint8Array, unit: number): Uint8Array {
  const len = Math.ceil(bytes.length / unit) * unit;
  const out = new Uint8Array(len);
  out.set(bytes);
  return out;
}
