/**
 * Which columns are hyperparameters. In order of precedence:
 *   - `hyperparameters: [cols]` (or {columns}): exactly those;
 *   - `{prefix}` or the source's own prefix (Optuna params_, MLflow params.): the columns with it, prefix stripped;
 *   - `{like: <pack>}`: of those candidates, the names the reference's search space knows (in its spelling);
 *   - nothing: the candidate columns whose values vary between runs of the same dataset, leaving out text that is
 *     unique to each run (names, ids, paths).
 * Candidates never include the source's bookkeeping and logged results (W&B's Name, State, Runtime ...; the summary
 * keys W&B writes after the config), nor a column another mapping key uses (dataset, model, metric, ...).
 * Columns that vary but are not hyperparameters are kept on each run as attributes (e.g. W&B test_mode).
 */
import type { HpValue } from "../schema.ts";
import type { Reference } from "../reference.ts";
import type { SourceTable } from "../sources/types.ts";
import type { Mapping } from "./schema.ts";
import { toHpValue } from "../io.ts";
import { InputError } from "../../util/errors.ts";

export interface NamedColumn {
  column: string;
  name: string;
}

export interface Selection {
  hyperparameters: NamedColumn[];
  attributes: NamedColumn[];
}

export function selectColumns(
  table: SourceTable,
  spec: Mapping["hyperparameters"],
  used: Set<string>,
  datasetOf: string[],
  metricColumn: string,
  ref: Reference | undefined,
  extraNames: string[],
): Selection {
  const s = Array.isArray(spec) ? { columns: spec } : (spec ?? {});
  const exclude = new Set(s.exclude ?? []);
  const candidates = table.columns.filter((c) => !used.has(c) && !exclude.has(c) && !table.defaults.reserved(c, metricColumn));
  const prefix = s.prefix ?? table.defaults.hyperparameterPrefix;
  let hps: NamedColumn[];
  if (s.columns) {
    for (const c of s.columns) {
      if (!table.columns.includes(c)) throw new InputError(`hyperparameter column ${JSON.stringify(c)} is not in the runs`, "mapping: hyperparameters", `use columns of the source: ${listColumns(table.columns)}`);
    }
    hps = s.columns.filter((c) => !exclude.has(c)).map((c) => ({ column: c, name: c }));
  } else {
    const pool = prefix ? candidates.filter((c) => c.startsWith(prefix)).map((c) => ({ column: c, name: c.slice(prefix.length) })) : candidates.map((c) => ({ column: c, name: c }));
    if (ref) {
      const known = ref.searchSpace.hyperparameters;
      hps = pool.filter((p) => p.name in known && !extraNames.includes(p.name));
    } else if (prefix) hps = pool;
    else hps = pool.filter((p) => variesWithinDataset(table, p.column, datasetOf) && !uniqueText(table, p.column));
  }
  const taken = new Set(hps.map((h) => h.column));
  const attributes = candidates
    .filter((c) => !taken.has(c) && (!prefix || !c.startsWith(prefix)) && variesWithinDataset(table, c, datasetOf) && !uniqueText(table, c))
    .map((c) => ({ column: c, name: c }));
  return { hyperparameters: hps, attributes };
}

/** The first columns of a long list, for messages. */
export function listColumns(columns: string[], max = 40): string {
  return columns.length > max ? `${columns.slice(0, max).join(", ")}, ... (${columns.length} columns)` : columns.join(", ");
}

function variesWithinDataset(table: SourceTable, column: string, datasetOf: string[]): boolean {
  const first = new Map<string, HpValue>();
  return table.rows.some((r, i) => {
    const v = toHpValue(r.get(column));
    if (!first.has(datasetOf[i])) {
      first.set(datasetOf[i], v);
      return false;
    }
    return first.get(datasetOf[i]) !== v;
  });
}

/** Text that differs in every row: a name, id or path, not a setting. */
function uniqueText(table: SourceTable, column: string): boolean {
  const seen = new Set<unknown>();
  for (const r of table.rows) {
    const v = toHpValue(r.get(column));
    if (typeof v !== "string" || seen.has(v)) return false;
    seen.add(v);
  }
  return table.rows.length > 1;
}
