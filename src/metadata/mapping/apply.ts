/**
 * Applies a mapping to a source table: every row becomes a run (a result), a failure (crashed, failed, killed,
 * pruned, no metric, non-finite metric, stopped before its budget) or is skipped with a counted reason
 * (filtered, not finished, duplicate id, no meta-features). Runs are what training and evaluation read;
 * failures stay beside them as evidence of which configurations fail.
 *
 * Per row, in order: filter -> state -> id -> dataset id (rename) -> metric -> epochs; per value: derive ->
 * values (aliases) -> set -> the reference's spelling (`hyperparameters: {like}`).
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { InputError } from "../../util/errors.ts";
import { countBy } from "../../util/stats.ts";
import { idText, requireNumber, toHpValue } from "../io.ts";
import { readReference } from "../reference.ts";
import { MetaDataset, type Dataset, type Failure, type FailureReason, type HpValue, type ImportReport, type Run, type SearchSpace } from "../schema.ts";
import { readSource } from "../sources/index.ts";
import { formatZodError } from "../../util/zod-format.ts";
import { addConditions, inferSearchSpace } from "../search-space.ts";
import type { SourceFormat, SourceRow, SourceTable } from "../sources/types.ts";
import type { ImportedHistory } from "../importers/types.ts";
import type { Mapping } from "./schema.ts";
import { listColumns, selectColumns, type NamedColumn } from "./select.ts";
import { labelSource, metaFeatureSource } from "./dataset-cards.ts";
import { mappingWhere, missingColumn, type ApplyContext } from "./context.ts";
import { applyAliases, compileAliases, compileDerive, deriveValue, keyValue, sameValue, Speller } from "./values.ts";
import { counted } from "../../util/format.ts";

type State = "ok" | "skip" | FailureReason;

/** Tracker states (W&B, Optuna, MLflow, generic) and what they make of a run. */
const STATES: Record<string, State> = {
  finished: "ok", complete: "ok", completed: "ok", success: "ok", succeeded: "ok", done: "ok", ok: "ok",
  crashed: "crashed", failed: "failed", fail: "failed", error: "failed", errored: "failed", diverged: "failed",
  killed: "killed", cancelled: "killed", canceled: "killed", pruned: "pruned",
  running: "skip", waiting: "skip", scheduled: "skip", queued: "skip", pending: "skip", preempted: "skip", preempting: "skip",
};

const FORMAT_OF: Record<SourceTable["format"], MetaDataset["format"]> = { wandb: "wandb", optuna: "optuna", mlflow: "mlflow", csv: "generic", tsv: "generic", jsonl: "generic" };

/**
 * Reads tracker or table sources and applies a mapping: the whole import of one history, validated. Side tables
 * and references are looked up beside the sources, then beside the mapping file.
 */
export function importWithMapping(sources: string[], format: SourceFormat, m: Mapping, mappingFile?: string): ImportedHistory {
  const table = readSource(format, sources, { study: m.study });
  const baseDirs = [...new Set([...sources.map(folderOf), ...(mappingFile ? [path.dirname(path.resolve(mappingFile))] : [])])];
  const h = applyMapping(table, m, { mappingFile, baseDirs });
  const r = MetaDataset.safeParse(h.metaDataset);
  if (!r.success) throw new InputError(`imported data does not match the meta-dataset schema:\n${formatZodError(r.error)}`, sources.join(", "), "check the mapping's columns");
  return { ...h, metaDataset: r.data };
}

/** The folder a source lives in (an Optuna URL sqlite:///path/study.db lives in path/). */
function folderOf(source: string): string {
  const p = source.replace(/^sqlite:\/\//, "");
  return existsSync(p) && statSync(p).isDirectory() ? path.resolve(p) : path.dirname(path.resolve(p));
}

export function applyMapping(table: SourceTable, m: Mapping, ctx: ApplyContext): ImportedHistory {
  const d = table.defaults;
  const has = (c: string) => table.columns.includes(c);
  const need = (c: string | undefined, key: string): string | undefined => {
    if (c !== undefined && !has(c)) throw missingColumn(table, c, ctx, key);
    return c;
  };

  // Roles of columns.
  const datasetSpec = typeof m.dataset === "string" ? { column: m.dataset } : (m.dataset ?? {});
  const datasetColumn = need(datasetSpec.column ?? (datasetSpec.value ? undefined : d.dataset), "dataset");
  if (!datasetColumn && !datasetSpec.value) throw new InputError("no dataset column", mappingWhere(ctx, "dataset"), `name the column with the dataset id (dataset: <column>) or give one id (dataset: {value: my-dataset}); columns: ${listColumns(table.columns)}`);
  const modelColumn = need(m.model ?? d.model, "model");
  const metricColumn = need(m.metric?.column ?? d.metric?.column, "metric.column");
  if (!metricColumn) throw new InputError("no metric column", mappingWhere(ctx, "metric.column"), `name the outcome to learn from: metric: {column: <column>, direction: max}; columns: ${listColumns(table.columns)}`);
  const direction = m.metric?.direction ?? d.metric?.direction;
  if (!direction) throw new InputError(`no direction for metric ${JSON.stringify(metricColumn)}`, mappingWhere(ctx, "metric.direction"), "say whether larger is better: direction: max (accuracy) or direction: min (loss, error)");
  const finalColumn = need(m.metric?.final, "metric.final");
  const costColumn = need(m.cost, "cost") ?? (d.cost && has(d.cost) ? d.cost : undefined);
  const statusColumn = need(m.status, "status") ?? (d.status && has(d.status) ? d.status : undefined);
  const idColumns = m.runId ? [need(m.runId, "runId")!] : (d.runId ?? []).filter(has);
  const lastEpoch = need(m.epochs?.last, "epochs.last");
  const configured = typeof m.epochs?.configured === "string" ? need(m.epochs.configured, "epochs.configured") : m.epochs?.configured;
  const filters = Object.entries(m.filter ?? {}).map(([c, v]) => ({ column: need(c, `filter.${c}`)!, accepted: (Array.isArray(v) ? v : [v]).map((x) => (typeof x === "string" ? keyValue(x) : x)) }));
  const derived = compileDerive(m.derive);
  for (const x of derived) for (const s of x.sources) need(s.column, `derive.${x.name}.from`);
  const rename = compileRename(datasetSpec.rename, ctx);

  const like = typeof m.hyperparameters === "object" && !Array.isArray(m.hyperparameters) ? m.hyperparameters.like : undefined;
  const ref = like ? readReference(like, ctx.baseDirs, mappingWhere(ctx, "hyperparameters.like")) : undefined;
  const speller = ref ? new Speller(ref.searchSpace) : undefined;
  const aliases = compileAliases(m.values);
  // values: {model: {...}} renames models (e.g. to the reference's names); every other key is a hyperparameter.
  const modelAliases = m.values?.model ?? {};
  aliases.delete("model");
  const constants = Object.entries(m.set ?? {});

  // Dataset ids first: selecting hyperparameters looks at variation within each dataset.
  // Side tables may be keyed by the id at any step of the rename (a Meta-Album code before a prefix is added).
  const keysOf = new Map<string, string[]>();
  const datasetOf = table.rows.map((r) => {
    const steps = rename(datasetColumn ? idText(r.get(datasetColumn)) : datasetSpec.value!);
    const id = steps[steps.length - 1];
    if (!keysOf.has(id)) keysOf.set(id, [...new Set(steps.reverse())]);
    return id;
  });
  const keys = (id: string) => keysOf.get(id) ?? [id];
  const mf = metaFeatureSource(table, m.metaFeatures, ctx, keys);
  const used = new Set([datasetColumn, modelColumn, metricColumn, finalColumn, costColumn, statusColumn, ...idColumns, lastEpoch, configured, ...filters.map((f) => f.column), ...mf.columns, ...columnsOf(m.domain), ...columnsOf(m.modality)].filter((c): c is string => typeof c === "string"));
  const extraNames = [...derived.map((x) => x.name), ...constants.map(([k]) => k)];
  const selection = selectColumns(table, m.hyperparameters, used, datasetOf, metricColumn, ref, extraNames);

  const runs: Run[] = [];
  const failures: Failure[] = [];
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => void (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const unknownStates = new Set<string>();
  const seen = new Set<string>();
  const firstRow = new Map<string, SourceRow>();

  table.rows.forEach((row, i) => {
    for (const f of filters) {
      const v = toHpValue(row.get(f.column));
      if (!f.accepted.some((a) => sameValue(a, v))) return skip(`filtered out by ${f.column}`);
    }
    const stateText = statusColumn ? String(row.get(statusColumn) ?? "").trim() : "";
    const state: State | undefined = stateText ? STATES[stateText.toLowerCase()] : "ok";
    if (state === undefined) {
      unknownStates.add(stateText);
      return skip(`unknown state ${stateText}`);
    }
    if (state === "skip") return skip(`not finished (${stateText})`);
    const id = idColumns.map((c) => idText(row.get(c))).find((v) => v !== "") ?? String(i + 1);
    if (seen.has(id)) return skip("duplicate run id");
    const datasetId = datasetOf[i];
    if (!datasetId) return skip("no dataset id");
    if (!mf.has(datasetId)) return skip(`no meta-features for dataset ${datasetId}`);
    seen.add(id);
    if (!firstRow.has(datasetId)) firstRow.set(datasetId, row);
    else mf.checkSame(firstRow.get(datasetId)!, row, datasetId);

    const get = (c: string) => toHpValue(row.get(c));
    const hyperparameters: Record<string, HpValue> = {};
    for (const h of selection.hyperparameters) hyperparameters[h.name] = get(h.column);
    for (const x of derived) hyperparameters[x.name] = deriveValue(x, get);
    applyAliases(hyperparameters, aliases);
    for (const [k, v] of constants) hyperparameters[k] = v;
    if (speller) for (const k of Object.keys(hyperparameters)) hyperparameters[k] = speller.spell(k, hyperparameters[k]);
    const attributes = attributesOf(selection.attributes, get);
    const written = modelColumn ? idText(row.get(modelColumn)) : "";
    const model = written in modelAliases ? String(modelAliases[written]) : written || "default";
    const cost = costColumn ? optionalNumber(row, costColumn, "cost in seconds") : undefined;
    const base = { id, datasetId, model, hyperparameters, ...(attributes ? { attributes } : {}), cost: cost === undefined || cost < 0 ? {} : { totalSeconds: cost } };

    const metric = readMetric(row, metricColumn, direction, m.metric?.use ?? "last");
    const last = lastEpoch ? optionalNumber(row, lastEpoch, "last epoch") : undefined;
    const budget = typeof configured === "string" ? optionalNumber(row, configured, "configured epochs") : configured;
    const epochs = last !== undefined ? last + 1 : metric.curve?.length;
    const fail = (reason: FailureReason, detail: string) =>
      failures.push({ ...base, reason, detail, ...(metric.value !== undefined && Number.isFinite(metric.value) ? { lastMetric: metric.value } : {}), ...(epochs !== undefined ? { epochs } : {}) });

    if (state !== "ok") return fail(state, `${statusColumn} ${stateText}`);
    if (metric.value === undefined) return fail("no-metric", `${stateText || "finished"} without a value in ${metricColumn}`);
    if (!Number.isFinite(metric.value)) {
      const policy = m.metric?.nonFinite ?? "failed";
      if (policy === "error") throw new InputError(`${metricColumn} is ${metric.value}`, row.where, "set metric.nonFinite to failed (a failure) or skip (leave the row out) in the mapping");
      if (policy === "skip") return skip(`non-finite ${metricColumn}`);
      return fail("non-finite-metric", `${metricColumn} = ${metric.value}`);
    }
    if (budget !== undefined && (last === undefined || last + 1 < budget)) {
      return fail("stopped-early", last === undefined ? `no epoch logged (budget ${budget})` : `stopped at epoch ${last} of ${budget}`);
    }
    const final = finalColumn ? requireNumber(row.get(finalColumn), `${row.where}, column ${JSON.stringify(finalColumn)}`, "final metric") : metric.final;
    runs.push({
      ...base,
      outcome: { best: metric.value, final, ...(metric.curve ? { curve: metric.curve } : {}) },
      ...(epochs !== undefined ? { epochs } : {}),
      status: "completed",
    });
  });

  const warnings: string[] = [];
  if (unknownStates.size) warnings.push(`rows with unknown states were skipped: ${[...unknownStates].join(", ")} (known: ${Object.keys(STATES).join(", ")})`);
  const withRuns = [...new Set(runs.map((r) => r.datasetId))].sort();
  const onlyFailed = [...new Set(failures.map((f) => f.datasetId))].filter((x) => !withRuns.includes(x)).sort();
  if (onlyFailed.length) warnings.push(`datasets with failures but no result: ${onlyFailed.join(", ")}`);
  const domains = labelSource(m.domain, "domain", ctx, keys);
  const modalities = labelSource(m.modality, "modality", ctx, keys);
  const datasets: Dataset[] = withRuns.map((id) => ({
    id,
    name: id,
    metaFeatures: mf.of(id, firstRow.get(id)!),
    ...optional("domain", domains(id, firstRow.get(id)!)),
    ...optional("modality", modalities(id, firstRow.get(id)!)),
    source: table.format === "wandb" ? "W&B" : table.format,
  }));
  const noDomain = m.domain ? datasets.filter((x) => !x.domain).map((x) => x.id) : [];
  if (noDomain.length) warnings.push(`no domain for ${noDomain.join(", ")} (not in the domain table): they are read as a domain the learner has not seen`);
  if (ref) {
    const absent = Object.keys(ref.searchSpace.hyperparameters).filter((k) => !runs.some((r) => k in r.hyperparameters));
    if (absent.length) warnings.push(`hyperparameters of ${ref.name} the runs do not have: ${absent.join(", ")} (add them with derive, set or values)`);
  }
  if (!runs.length) {
    const why = [...Object.entries(skipped), ...Object.entries(countBy(failures.map((f) => f.reason)))].map(([k, n]) => `${k} ${n}`).join(", ");
    throw new InputError(`no run with a result among ${table.rows.length} rows${why ? ` (${why})` : ""}`, table.files.join(", "), "check the metric column, the state column and the filters in the mapping, and that side tables are keyed by the dataset ids");
  }

  const report: ImportReport = {
    format: table.format,
    sources: table.files,
    ...(ctx.mappingFile ? { mapping: ctx.mappingFile } : {}),
    rows: table.rows.length,
    skipped,
    ...(ref ? { reference: ref.name } : {}),
    reconciled: speller?.rewrites() ?? [],
    warnings,
  };
  const metaDataset: MetaDataset = {
    name: m.name ?? table.name,
    format: FORMAT_OF[table.format],
    kind: "table",
    metric: { name: m.metric?.name ?? d.metric?.name ?? metricColumn, direction },
    datasets,
    runs,
    models: [...new Set(runs.map((r) => r.model))].sort(),
    searchSpace: spaceOf(table, selection.hyperparameters, runs),
    notes: importNotes(report, runs.length, failures),
  };
  return { metaDataset, failures, report };
}

/** Human-readable lines for `data inspect`: counts per reason, rewrites, warnings. */
export function importNotes(report: ImportReport, runs: number, failures: Failure[]): string[] {
  const per = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(", ");
  const failed = countBy(failures.map((f) => f.reason));
  const skippedTotal = Object.values(report.skipped).reduce((a, b) => a + b, 0);
  return [
    `imported ${runs} runs from ${report.rows} rows; ${counted(failures.length, "failure")} kept apart${failures.length ? ` (${per(failed)})` : ""}; ${skippedTotal} rows skipped${skippedTotal ? ` (${per(report.skipped)})` : ""}`,
    ...respelled(report),
    ...report.warnings,
  ];
}

/** One line per hyperparameter: the values written in the reference's spelling, with counts. */
function respelled(report: ImportReport): string[] {
  const by = new Map<string, string[]>();
  for (const r of [...report.reconciled].sort((a, b) => b.count - a.count)) {
    by.set(r.hyperparameter, [...(by.get(r.hyperparameter) ?? []), `${r.from} -> ${JSON.stringify(r.to)} (${r.count})`]);
  }
  return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([hp, l]) => `${hp} written as in ${report.reference ?? "the reference"}: ${l.join(", ")}`);
}

/** The id after each rename step, the original first. */
function compileRename(rename: [string, string] | Record<string, string> | undefined, ctx: ApplyContext): (id: string) => string[] {
  if (!rename) return (id) => [id];
  const pairs = Array.isArray(rename) ? [rename] : Object.entries(rename);
  const compiled = pairs.map(([pattern, to]) => {
    try {
      return [new RegExp(pattern), to] as const;
    } catch (e) {
      throw new InputError(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`, mappingWhere(ctx, "dataset.rename"), "write a JavaScript regular expression, e.g. rename: ['^.*/', ''] keeps what follows the last /");
    }
  });
  return (id) => {
    const steps = [id];
    for (const [re, to] of compiled) steps.push(steps[steps.length - 1].replace(re, to));
    return steps;
  };
}

interface MetricValue {
  /** undefined when nothing was logged; NaN/Infinity kept so the policy can see them. */
  value?: number;
  final: number;
  curve?: number[];
}

function readMetric(row: SourceRow, column: string, direction: "max" | "min", use: "last" | "best"): MetricValue {
  const raw = row.get(column);
  let value: number | undefined;
  if (typeof raw === "number") value = raw;
  else if (raw !== undefined && raw !== null && String(raw).trim() !== "") {
    const t = String(raw).trim();
    const x = /^[-+]?(inf|infinity)$/i.test(t) ? (t.startsWith("-") ? -Infinity : Infinity) : /^nan$/i.test(t) ? NaN : Number(t);
    if (Number.isNaN(x) && !/^nan$/i.test(t)) throw new InputError(`metric ${JSON.stringify(column)}: ${JSON.stringify(t)} is not a number`, `${row.where}, column ${JSON.stringify(column)}`, "the metric column must hold numbers (or be empty for runs that logged none)");
    value = x;
  }
  const history = row.history?.(column)?.filter(Number.isFinite);
  const curve = history?.length ? history : undefined;
  const final = value ?? curve?.at(-1) ?? NaN;
  if (value === undefined && curve) value = final;
  if (use === "best" && curve) {
    const all = value !== undefined && Number.isFinite(value) ? [...curve, value] : curve;
    value = direction === "max" ? Math.max(...all) : Math.min(...all);
  }
  return { value, final, curve };
}

/** A number where one may be missing: empty or NaN -> undefined, text -> an error naming the cell. */
function optionalNumber(row: SourceRow, column: string, what: string): number | undefined {
  const v = toHpValue(row.get(column));
  return v === null ? undefined : requireNumber(v, () => `${row.where}, column ${JSON.stringify(column)}`, what);
}

function attributesOf(columns: NamedColumn[], get: (c: string) => HpValue): Record<string, HpValue> | undefined {
  if (!columns.length) return undefined;
  return Object.fromEntries(columns.map((c) => [c.name, get(c.column)]));
}

function optional<K extends string>(key: K, v: string | undefined): Partial<Record<K, string>> {
  return v === undefined ? {} : ({ [key]: v } as Record<K, string>);
}

function columnsOf(spec: string | { column?: string } | object | undefined): string[] {
  if (typeof spec === "string") return [spec];
  return spec && "column" in spec && typeof spec.column === "string" ? [spec.column] : [];
}

/** The search space: the source's own definition (Optuna) for the selected names, else inferred from the runs. */
function spaceOf(table: SourceTable, hps: NamedColumn[], runs: Run[]): SearchSpace {
  if (!table.space) return inferSearchSpace(runs);
  const given = Object.fromEntries(hps.filter((h) => table.space!.hyperparameters[h.column]).map((h) => [h.name, structuredClone(table.space!.hyperparameters[h.column])]));
  const inferred = inferSearchSpace(runs).hyperparameters;
  // Names the source does not define (derived, set) come from the runs.
  for (const [k, p] of Object.entries(inferred)) if (!(k in given)) given[k] = p;
  return addConditions({ hyperparameters: given, source: "given" }, runs);
}
