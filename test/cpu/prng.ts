// A small deterministic generator (xorshift32) so that random tests repeat exactly.

/** Returns a function giving uniformly distributed 32-bit unsigned integers from `seed`. */
export function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}
