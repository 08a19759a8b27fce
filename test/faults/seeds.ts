/** How many seeds each scenario runs: `FAULT_SEEDS` (set by `npm run test:faults -- --seeds N`), 1 by default. */
export function scenarioSeeds(env: NodeJS.ProcessEnv = process.env): number[] {
  const count = parseSeedCount(env.FAULT_SEEDS ?? '1');
  const first = parseSeedCount(env.FAULT_FIRST_SEED ?? '1');
  return Array.from({ length: count }, (_, i) => first + i);
}

export function parseSeedCount(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) throw new Error(`a seed count must be a positive integer, got "${text}"`);
  return value;
}

/** mulberry32: a small deterministic generator, so a seed replays the same choices. */
export function seededRandom(seed: number): () => number {
  // Spread the seed first: from 1, 2, 3 as they are, the first draws are nearly the same.
  let state = Math.imul(seed, 0x9e3779b1) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max], drawn from `random`. */
export function between(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
