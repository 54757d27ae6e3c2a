/**
 * Cooperative games over named players. A game is only a batched value function: coalitions go in as
 * membership flags (k coalitions x n players, row-major, 1 = member), values come out. Membership flags
 * rather than bitmasks so approximations are not limited to 32 players; exact methods use bitmask indices
 * over the full table (bit i = player i), which `tabulate` computes once per game.
 */
export interface Game {
  readonly players: readonly string[];
  /** Values of `k` coalitions given as `k * n` membership flags. */
  evaluate(members: Uint8Array, k: number): Float64Array;
  /** The whole 2^n table when the game has a faster way than enumerating coalitions through `evaluate`. */
  table?(): Float64Array;
}

/** Exact methods enumerate 2^n coalitions; beyond this many players they switch to sampling by default. */
export const MAX_EXACT_PLAYERS = 14;
/** Hard limit for a full table: the HPO games predict up to 2^n rows per sample in one batch. */
export const MAX_TABLE_PLAYERS = 16;

/** Coalitions per `evaluate` call while tabulating: bounds the membership buffer and the predictor's batch. */
const TABULATE_CHUNK = 4096;

const tables = new WeakMap<Game, Float64Array>();

/** All 2^n coalition values, indexed by bitmask; computed once per game object and cached. */
export function tabulate(game: Game): Float64Array {
  const cached = tables.get(game);
  if (cached) return cached;
  const n = game.players.length;
  if (n > MAX_TABLE_PLAYERS) throw new RangeError(`a full coalition table for ${n} players is too large (max ${MAX_TABLE_PLAYERS})`);
  let values: Float64Array;
  if (game.table) {
    values = game.table();
  } else {
    const size = 2 ** n;
    values = new Float64Array(size);
    for (let start = 0; start < size; start += TABULATE_CHUNK) {
      const k = Math.min(TABULATE_CHUNK, size - start);
      const members = new Uint8Array(k * n);
      for (let c = 0; c < k; c++) maskToMembers(start + c, n, members, c * n);
      values.set(game.evaluate(members, k), start);
    }
  }
  if (values.length !== 2 ** n) throw new Error(`coalition table has ${values.length} values, expected ${2 ** n}`);
  tables.set(game, values);
  return values;
}

/** A game from a value function of the coalition bitmask (n <= 30); convenient for closed-form games. */
export function functionGame(players: readonly string[], v: (mask: number) => number): Game {
  const n = players.length;
  if (n > 30) throw new RangeError("functionGame takes bitmasks: at most 30 players");
  return {
    players,
    evaluate: (members, k) => {
      const out = new Float64Array(k);
      for (let c = 0; c < k; c++) out[c] = v(membersToMask(members, c * n, n));
      return out;
    },
  };
}

export type Aggregate = "mean" | "min" | "max";

/**
 * One game over several games with the same players (e.g. the same game on several datasets): each
 * coalition's value is the mean, min or max of its values in the member games.
 */
export function aggregateGames(games: readonly Game[], how: Aggregate): Game {
  if (!games.length) throw new RangeError("aggregateGames needs at least one game");
  const players = games[0].players;
  for (const g of games) {
    if (g.players.length !== players.length || g.players.some((p, i) => p !== players[i])) {
      throw new RangeError("aggregated games must have the same players in the same order");
    }
  }
  const combine = (parts: Float64Array[]): Float64Array => {
    const out = Float64Array.from(parts[0]);
    for (const p of parts.slice(1)) {
      for (let i = 0; i < out.length; i++) {
        out[i] = how === "mean" ? out[i] + p[i] : how === "min" ? Math.min(out[i], p[i]) : Math.max(out[i], p[i]);
      }
    }
    if (how === "mean") for (let i = 0; i < out.length; i++) out[i] /= parts.length;
    return out;
  };
  return {
    players,
    evaluate: (members, k) => combine(games.map((g) => g.evaluate(members, k))),
    table: () => combine(games.map(tabulate)),
  };
}

export function maskToMembers(mask: number, n: number, out: Uint8Array, offset: number): void {
  for (let i = 0; i < n; i++) out[offset + i] = (mask >>> i) & 1;
}

export function membersToMask(members: Uint8Array, offset: number, n: number): number {
  let mask = 0;
  for (let i = 0; i < n; i++) if (members[offset + i]) mask |= 1 << i;
  return mask >>> 0;
}

export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
