/** A seeded pseudo-random source (xoshiro128**): the same seed gives the same draws on every platform. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
  /** Exponential with the given mean. */
  exponential(mean: number): number;
  /** Gamma with shape `k` and scale `theta` (Marsaglia-Tsang). */
  gamma(k: number, theta: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
}

/**
 * Creates a seeded RNG.
 * @example const rng = createRng(42); rng.int(1, 6)
 */
export function createRng(seed: number): Rng {
  // splitmix32 expands the seed into xoshiro's four words
  let x = seed >>> 0;
  const split = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const u32 = () => {
    const r = Math.imul(rotl(Math.imul(b, 5) >>> 0, 7), 9) >>> 0;
    const t = (b << 9) >>> 0;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  const next = () => u32() / 4294967296;
  const normal = () => {
    let u = next();
    while (u === 0) u = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  const gamma = (k: number, theta: number): number => {
    if (k < 1) return gamma(k + 1, theta) * next() ** (1 / k);
    const dd = k - 1 / 3;
    const cc = 1 / Math.sqrt(9 * dd);
    for (;;) {
      let z: number;
      let v: number;
      do {
        z = normal();
        v = 1 + cc * z;
      } while (v <= 0);
      v = v * v * v;
      const u = next();
      if (u < 1 - 0.0331 * z ** 4 || Math.log(u) < 0.5 * z * z + dd * (1 - v + Math.log(v))) {
        return dd * v * theta;
      }
    }
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    exponential: (mean) => -Math.log(1 - next()) * mean,
    gamma,
    normal,
  };
}

const rotl = (v: number, k: number) => ((v << k) | (v >>> (32 - k))) >>> 0;
