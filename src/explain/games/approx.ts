/**
 * Permutation-sampling estimates of Shapley values (and optionally pairwise Shapley interactions) for games
 * too large to tabulate. Antithetic sampling: each random order is used with its reverse, and the pair's
 * average is one sample, so standard errors are computed from independent units. Every unit's marginal
 * contributions sum to v(N) - v(empty), hence the estimate is exactly efficient too.
 *
 * Interactions: in a uniformly random order, the set preceding two adjacent players i, j follows exactly the
 * Shapley interaction index weights, so the discrete derivative at that set is an unbiased sample of I_ij
 * (one extra coalition per adjacent pair).
 */
import { createRng, shuffle } from "../../util/random.ts";
import type { Game } from "./game.ts";

export interface PermutationOptions {
  /**
   * Maximum number of distinct coalitions evaluated (the cost driver: each may be thousands of predictions).
   * It fixes the sample size at (budget - 2) / (2 (n-1)) antithetic pairs, or half that with interactions.
   */
  budget: number;
  seed?: number;
  /** Also estimate pairwise interactions (roughly doubles the cost per order). */
  interactions?: boolean;
}

export interface PermutationEstimate {
  empty: number;
  full: number;
  shapley: Float64Array;
  /** Standard error of each Shapley estimate. */
  shapleyStdErr: Float64Array;
  /** n x n symmetric (NaN where a pair was never adjacent), when requested. */
  interactions?: Float64Array;
  interactionStdErr?: Float64Array;
  /** Distinct coalitions evaluated, including the empty and grand coalitions. */
  evaluations: number;
  /** Antithetic pairs of orders sampled. */
  samples: number;
}

/** Units per round: bounds the membership buffer and gives the predictor large batches. */
const MAX_UNITS_PER_ROUND = 256;

export function permutationSampling(game: Game, opts: PermutationOptions): PermutationEstimate {
  const n = game.players.length;
  if (n < 2) throw new RangeError("permutation sampling needs at least 2 players");
  const rng = createRng(opts.seed ?? 0);
  const withPairs = opts.interactions ?? false;
  // Worst case per unit (two orders): n-1 prefixes each, plus n-1 off-path coalitions each for interactions.
  const unitCost = 2 * (n - 1) * (withPairs ? 2 : 1);
  if (opts.budget < 2 + 2 * unitCost) {
    throw new RangeError(`budget ${opts.budget} is too small for ${n} players: at least ${2 + 2 * unitCost} coalitions`);
  }

  const cache = new Map<string, number>();
  const keyOf = (m: Uint8Array): string => Buffer.from(m.buffer, m.byteOffset, m.length).toString("latin1");
  const valueOf = (m: Uint8Array): number => cache.get(keyOf(m))!;
  /** Evaluates the coalitions not seen yet, in one batch. */
  const evaluateAll = (coalitions: Uint8Array[]): void => {
    const fresh = new Map<string, Uint8Array>();
    for (const c of coalitions) {
      const k = keyOf(c);
      if (!cache.has(k)) fresh.set(k, c);
    }
    if (!fresh.size) return;
    const flat = new Uint8Array(fresh.size * n);
    [...fresh.values()].forEach((c, r) => flat.set(c, r * n));
    const out = game.evaluate(flat, fresh.size);
    [...fresh.keys()].forEach((k, r) => cache.set(k, out[r]));
  };

  const emptySet = new Uint8Array(n);
  const fullSet = new Uint8Array(n).fill(1);
  evaluateAll([emptySet, fullSet]);
  const empty = valueOf(emptySet);
  const full = valueOf(fullSet);

  const sum = new Float64Array(n);
  const sumSq = new Float64Array(n);
  const pSum = new Float64Array(n * n);
  const pSumSq = new Float64Array(n * n);
  const pCount = new Float64Array(n * n);
  let samples = 0;

  const order = Array.from({ length: n }, (_, i) => i);
  // Units are charged at their worst-case cost, so the sample size is fixed by the budget (repeated
  // coalitions are served from the cache and only save time).
  let unitsLeft = Math.floor((opts.budget - 2) / unitCost);
  while (unitsLeft > 0) {
    const units = Math.min(MAX_UNITS_PER_ROUND, unitsLeft);
    unitsLeft -= units;
    const orders: number[][] = [];
    for (let u = 0; u < units; u++) {
      const o = shuffle(order.slice(), rng);
      orders.push(o, o.slice().reverse());
    }
    // Prefix coalitions (and the off-path "prefix + next-but-one" ones) of every order.
    const needed: Uint8Array[] = [];
    for (const o of orders) {
      const m = new Uint8Array(n);
      for (let k = 0; k < n - 1; k++) {
        if (withPairs) {
          const alt = m.slice();
          alt[o[k + 1]] = 1;
          needed.push(alt);
        }
        m[o[k]] = 1;
        needed.push(m.slice());
      }
    }
    evaluateAll(needed);

    const delta = new Float64Array(n);
    const pairDelta = new Float64Array(n * n);
    for (let u = 0; u < units; u++) {
      delta.fill(0);
      for (let side = 0; side < 2; side++) {
        const o = orders[2 * u + side];
        const m = new Uint8Array(n);
        let prev = empty;
        const prefixValues = [empty];
        for (let k = 0; k < n; k++) {
          m[o[k]] = 1;
          const cur = k === n - 1 ? full : valueOf(m);
          delta[o[k]] += cur / 2 - prev / 2;
          prefixValues.push(cur);
          prev = cur;
        }
        if (withPairs) {
          m.fill(0);
          for (let k = 0; k < n - 1; k++) {
            const a = o[k];
            const b = o[k + 1];
            m[b] = 1;
            const withB = valueOf(m);
            m[b] = 0;
            m[a] = 1;
            const d = prefixValues[k + 2] - prefixValues[k + 1] - withB + prefixValues[k];
            // The reverse order has the same adjacent pairs: the unit's sample is the average of both.
            pairDelta[a * n + b] += d / 2;
          }
        }
      }
      for (let i = 0; i < n; i++) {
        sum[i] += delta[i];
        sumSq[i] += delta[i] * delta[i];
      }
      if (withPairs) {
        const o = orders[2 * u];
        for (let k = 0; k < n - 1; k++) {
          const a = Math.min(o[k], o[k + 1]);
          const b = Math.max(o[k], o[k + 1]);
          const d = pairDelta[o[k] * n + o[k + 1]] + pairDelta[o[k + 1] * n + o[k]];
          pairDelta[o[k] * n + o[k + 1]] = pairDelta[o[k + 1] * n + o[k]] = 0;
          pSum[a * n + b] += d;
          pSumSq[a * n + b] += d * d;
          pCount[a * n + b] += 1;
        }
      }
      samples++;
    }
  }

  const shapley = new Float64Array(n);
  const shapleyStdErr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    [shapley[i], shapleyStdErr[i]] = meanAndStdErr(sum[i], sumSq[i], samples);
  }
  const result: PermutationEstimate = { empty, full, shapley, shapleyStdErr, evaluations: cache.size, samples };
  if (withPairs) {
    const interactions = new Float64Array(n * n);
    const interactionStdErr = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const [mean, se] = meanAndStdErr(pSum[a * n + b], pSumSq[a * n + b], pCount[a * n + b]);
        interactions[a * n + b] = interactions[b * n + a] = mean;
        interactionStdErr[a * n + b] = interactionStdErr[b * n + a] = se;
      }
    }
    result.interactions = interactions;
    result.interactionStdErr = interactionStdErr;
  }
  return result;
}

function meanAndStdErr(sum: number, sumSq: number, count: number): [number, number] {
  if (count === 0) return [NaN, NaN];
  const mean = sum / count;
  if (count === 1) return [mean, Infinity];
  const variance = Math.max(0, (sumSq - count * mean * mean) / (count - 1));
  return [mean, Math.sqrt(variance / count)];
}
