/**
 * One entry point from a game to its explanation: exact indices from the full coalition table up to
 * MAX_EXACT_PLAYERS, permutation sampling above (or on request), in one result shape.
 */
import { permutationSampling } from "./approx.ts";
import { MAX_EXACT_PLAYERS, tabulate, type Game } from "./game.ts";
import { mainEffects, moebiusTransform, shapleyInteractions, shapleyValues } from "./shapley.ts";

export interface Explanation {
  players: string[];
  method: "exact" | "permutation";
  /** v(empty) and v(N): the Shapley values sum to full - empty. */
  empty: number;
  full: number;
  shapley: Float64Array;
  /** n x n symmetric pairwise Shapley interaction index (zero diagonal; NaN for pairs never sampled). */
  interactions?: Float64Array;
  /** 2-SII main effects: with the pairwise interactions they sum to full - empty. */
  mainEffects?: Float64Array;
  /** Exact only: the coalition table and its Moebius coefficients, both indexed by bitmask. */
  values?: Float64Array;
  moebius?: Float64Array;
  /** Sampling only: standard errors, the coalitions evaluated and the antithetic samples drawn. */
  shapleyStdErr?: Float64Array;
  interactionStdErr?: Float64Array;
  budget?: { evaluations: number; samples: number };
}

export interface ExplainOptions {
  /** "auto" (default): exact up to MAX_EXACT_PLAYERS players, sampling above. */
  method?: "auto" | "exact" | "permutation";
  /** Sampling only: maximum distinct coalitions evaluated (default 20 n^2 with interactions, 10 n^2 without). */
  budget?: number;
  seed?: number;
  /** Pairwise interactions (default true; always computed by the exact method, which gets them for free). */
  interactions?: boolean;
}

export function explain(game: Game, opts: ExplainOptions = {}): Explanation {
  const n = game.players.length;
  const method = opts.method ?? "auto";
  const exact = method === "exact" || (method === "auto" && n <= MAX_EXACT_PLAYERS);
  if (exact) return explainTable(game.players, tabulate(game));
  const withPairs = opts.interactions ?? true;
  const est = permutationSampling(game, {
    budget: opts.budget ?? (withPairs ? 20 : 10) * n * n,
    seed: opts.seed,
    interactions: withPairs,
  });
  return {
    players: [...game.players],
    method: "permutation",
    empty: est.empty,
    full: est.full,
    shapley: est.shapley,
    shapleyStdErr: est.shapleyStdErr,
    interactions: est.interactions,
    interactionStdErr: est.interactionStdErr,
    mainEffects: est.interactions && mainEffects(est.shapley, nanToZero(est.interactions), n),
    budget: { evaluations: est.evaluations, samples: est.samples },
  };
}

/** Exact Shapley values, pairwise interactions, 2-SII main effects and Moebius coefficients from a full table. */
export function explainTable(players: readonly string[], values: Float64Array): Explanation {
  const n = players.length;
  const shapley = shapleyValues(values, n);
  const moebius = moebiusTransform(values, n);
  const interactions = shapleyInteractions(moebius, n);
  return {
    players: [...players],
    method: "exact",
    empty: values[0],
    full: values[values.length - 1],
    shapley,
    interactions,
    mainEffects: mainEffects(shapley, interactions, n),
    values,
    moebius,
  };
}

function nanToZero(a: Float64Array): Float64Array {
  return a.map((x) => (Number.isNaN(x) ? 0 : x));
}
