/**
 * Who plays: one player per hyperparameter (all its feature columns), optional groups merged into one
 * player (`--group augmentation=auto_augment,mixup,cutmix`), and the top-k selection that keeps exact games
 * small while everything else stays at the baseline.
 */
import { InputError } from "../../util/errors.ts";
import type { Game } from "./game.ts";
import type { Player } from "./hpo-games.ts";

/** Players per exact game by default (2^10 coalitions). */
export const DEFAULT_TOP_PLAYERS = 10;

/** The part of a feature-map column the players need (structurally `FeatureColumn` from the learner). */
export interface ColumnInfo {
  group: string;
  kind: string;
}

/** One player per column group of the given kinds (default: the model choice and every hyperparameter), in column order. */
export function columnPlayers(columns: readonly ColumnInfo[], kinds: readonly string[] = ["model", "hp"]): Player[] {
  const byName = new Map<string, Player>();
  columns.forEach((c, i) => {
    if (!kinds.includes(c.kind)) return;
    const p = byName.get(c.group) ?? { name: c.group, columns: [] };
    p.columns.push(i);
    byName.set(c.group, p);
  });
  return [...byName.values()];
}

export interface PlayerGroup {
  name: string;
  members: string[];
}

/** Parses "name=a,b,c" (the `--group` flag). */
export function parseGroup(spec: string): PlayerGroup {
  const m = /^\s*([^=\s][^=]*?)\s*=\s*(.+)$/.exec(spec);
  const members = m ? m[2].split(",").map((s) => s.trim()).filter(Boolean) : [];
  if (!m || !members.length) {
    throw new InputError(`cannot read group "${spec}"`, "--group", "write name=hp1,hp2,... e.g. augmentation=auto_augment,mixup,cutmix");
  }
  return { name: m[1], members };
}

/** Merges each group's members into one player, placed where its first member was. */
export function groupPlayers(players: readonly Player[], groups: readonly PlayerGroup[]): Player[] {
  const groupOf = new Map<string, PlayerGroup>();
  const known = new Set(players.map((p) => p.name));
  for (const g of groups) {
    for (const name of g.members) {
      if (!known.has(name)) {
        throw new InputError(`group ${g.name}: unknown hyperparameter "${name}"`, "--group", `choose from: ${[...known].join(", ")}`);
      }
      const other = groupOf.get(name);
      if (other) throw new InputError(`"${name}" is in two groups (${other.name} and ${g.name})`, "--group", "put each hyperparameter in at most one group");
      groupOf.set(name, g);
    }
    if (known.has(g.name) && !g.members.includes(g.name)) {
      throw new InputError(`group name "${g.name}" is already a hyperparameter`, "--group", "choose another group name");
    }
  }
  const out: Player[] = [];
  const merged = new Map<string, Player>();
  for (const p of players) {
    const g = groupOf.get(p.name);
    if (!g) {
      out.push({ name: p.name, columns: [...p.columns] });
      continue;
    }
    const existing = merged.get(g.name);
    if (existing) existing.columns.push(...p.columns);
    else {
      const q = { name: g.name, columns: [...p.columns] };
      merged.set(g.name, q);
      out.push(q);
    }
  }
  return out;
}

/** The k players with the highest scores (e.g. mean |TreeSHAP| or `screeningScores`), most important first. */
export function topPlayers(players: readonly Player[], scores: ArrayLike<number>, k = DEFAULT_TOP_PLAYERS): Player[] {
  if (scores.length !== players.length) throw new RangeError(`${scores.length} scores for ${players.length} players`);
  return players
    .map((p, i) => ({ p, s: Number.isFinite(scores[i]) ? scores[i] : -Infinity }))
    .sort((a, b) => b.s - a.s)
    .slice(0, k)
    .map(({ p }) => p);
}

/**
 * A cheap importance screen from 2n + 2 coalitions: the mean of |v({i}) - v(empty)| and |v(N) - v(N \ {i})|,
 * i.e. the player's effect alone and its effect when all others play; both miss nothing that acts only in
 * between, which is rare for hyperparameters and fine for choosing whom to analyse exactly.
 */
export function screeningScores(game: Game): Float64Array {
  const n = game.players.length;
  const k = 2 * n + 2;
  const members = new Uint8Array(k * n);
  members.fill(1, (2 * n + 1) * n); // last coalition: N
  for (let i = 0; i < n; i++) {
    members[(1 + i) * n + i] = 1; // {i}
    members.fill(1, (1 + n + i) * n, (2 + n + i) * n); // N \ {i}
    members[(1 + n + i) * n + i] = 0;
  }
  const v = game.evaluate(members, k);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = (Math.abs(v[1 + i] - v[0]) + Math.abs(v[2 * n + 1] - v[1 + n + i])) / 2;
  return scores;
}
