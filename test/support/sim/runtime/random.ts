/**
 * A seeded pseudo-random source (mulberry32), so that generated names, instance ids and chat
 * answers are the same on every run with the same seed.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** Kubernetes-style random suffix (the alphabet kube's generateName uses: no vowels, no 0/1/3). */
  suffix(length?: number): string;
  /** Lower-case hex, e.g. for EC2 ids. */
  hex(length: number): string;
  pick<T>(items: readonly T[]): T;
}

const KUBE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const fromAlphabet = (alphabet: string, length: number): string => {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
    return out;
  };
  return {
    next,
    suffix: (length = 5) => fromAlphabet(KUBE_ALPHABET, length),
    hex: (length) => fromAlphabet("0123456789abcdef", length),
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error("pick from an empty list");
      return item;
    },
  };
}
