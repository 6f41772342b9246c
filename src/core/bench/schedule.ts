/**
 * When requests are sent. Closed loop: N workers, each sends its next request when the previous
 * answer ends. Open loop: arrivals of a Poisson process at a rate (exponential gaps), fixed in
 * advance from a seed so that a slow server cannot slow the arrivals down — the send time a
 * request was scheduled for is what its latency is measured from (no coordinated omission).
 */

/** A seeded PRNG (mulberry32): the same seed gives the same schedule. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Send times in ms from the start for an open-loop level at `ratePerSecond`, ending at `count`
 * requests or when the next arrival would fall after `durationMs`, whichever comes first.
 */
export function poissonSchedule(
  ratePerSecond: number,
  limit: { count?: number | undefined; durationMs?: number | undefined },
  seed: number,
): number[] {
  if (!(ratePerSecond > 0)) throw new RangeError("the rate must be above 0");
  if (limit.count === undefined && limit.durationMs === undefined) {
    throw new RangeError("an open-loop level needs a request count or a duration");
  }
  const random = seededRandom(seed);
  const meanGapMs = 1000 / ratePerSecond;
  const maxCount = limit.count ?? Number.POSITIVE_INFINITY;
  const maxMs = limit.durationMs ?? Number.POSITIVE_INFINITY;
  const times: number[] = [];
  let t = 0;
  for (;;) {
    if (times.length >= maxCount) break;
    // Inverse transform sampling of an exponential gap; 1 − u is in (0, 1], so the log is finite.
    t += -Math.log(1 - random()) * meanGapMs;
    if (t > maxMs) break;
    times.push(t);
  }
  return times;
}
