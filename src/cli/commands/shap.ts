import { Command } from "commander";
import { loadPack } from "../../learner/pack.ts";
import { treeShap } from "../../explain/treeshap.ts";
import { InputError } from "../../util/errors.ts";
import { readCsv } from "../../metadata/io.ts";
import { action, printJson } from "../run.ts";
import { PACK_HELP, resolvePackDir } from "../pack-path.ts";

export function shapCommand(): Command {
  return new Command("shap")
    .description("raw SHAP values of the pack's outcome models for given feature rows (to check against another implementation)")
    .option("--pack <dir>", PACK_HELP)
    .option("--rows <csv>", "CSV whose header is the pack's feature columns, in any order (see --columns)")
    .option("--model <i>", "explain one ensemble member (models/outcome-<i>.xgb.gz) instead of the ensemble mean", (v) => Number(v))
    .option("--columns", "print the feature columns in the model's order and exit")
    .option("--json", "print JSON (the only output format; kept for scripts)")
    .addHelpText(
      "after",
      "\nOutput: for each row, SHAP values per column in the model's column order and the expected value;\n" +
        "values + expected sum to the prediction. Each outcome model is a gzip of ml-xgboost's legacy binary model,\n" +
        "loadable by xgboost.Booster(model_file=...) after gunzip, so pred_contribs can be compared.",
    )
    .action(
      action(async (o: { pack?: string; rows?: string; model?: number; columns?: boolean }) => {
        const pack = loadPack(resolvePackDir(o.pack));
        const columns = pack.featureMap.columns.map((c) => c.name);
        if (o.columns) return printJson(columns);
        if (!o.rows) throw new InputError("missing --rows <csv>", "--rows", "pass a CSV of feature rows; `hporec shap --columns` lists the header");
        const models = pack.learner.outcome;
        if (o.model !== undefined && !(Number.isInteger(o.model) && o.model >= 0 && o.model < models.length))
          throw new InputError(`--model must be an integer from 0 to ${models.length - 1}, got ${o.model}`, "--model");
        const { rows, n } = readRows(o.rows, columns);
        const chosen = o.model !== undefined ? [models[o.model]] : models;
        const width = columns.length;
        const values = new Float64Array(n * width);
        let expected = 0;
        const preds = new Float64Array(n);
        for (const m of chosen) {
          const s = treeShap(m, rows, n).values;
          const w = m.nFeatures + 1;
          for (let r = 0; r < n; r++) {
            for (let c = 0; c < m.nFeatures; c++) values[r * width + c] += s[r * w + c] / chosen.length;
            preds[r] += s.subarray(r * w, (r + 1) * w).reduce((a, b) => a + b, 0) / chosen.length;
          }
          expected += s[w - 1] / chosen.length;
        }
        printJson({
          columns,
          expectedValue: expected,
          rows: Array.from({ length: n }, (_, r) => ({ shap: Array.from(values.subarray(r * width, (r + 1) * width)), prediction: preds[r] })),
        });
      }),
    );
}

function readRows(file: string, columns: string[]): { rows: Float32Array; n: number } {
  // Column names such as `opt_betas=[0.9, 0.99]` contain commas, so the header must be real (quoted) CSV.
  const t = readCsv(file, "rows CSV");
  const missing = columns.filter((c) => !t.header.includes(c));
  const unknown = t.header.filter((h) => !columns.includes(h));
  if (missing.length || unknown.length)
    throw new InputError(
      `wrong columns:${missing.length ? ` missing ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` (+${missing.length - 5} more)` : ""};` : ""}${unknown.length ? ` unknown ${unknown.slice(0, 5).join(", ")};` : ""}`,
      `${file}:1`,
      "the header must name exactly the pack's feature columns (quote names containing commas): hporec shap --columns",
    );
  const pos = columns.map((c) => t.header.indexOf(c));
  const n = t.rows.length;
  const rows = new Float32Array(n * columns.length);
  t.rows.forEach((cells, r) => {
    pos.forEach((p, c) => {
      const cell = cells[p].trim();
      const v = Number(cell);
      if (cell === "" || !Number.isFinite(v))
        throw new InputError(`column ${columns[c]}: ${JSON.stringify(cell)} is not a finite number`, `${file}:${t.lines[r]}`, "every cell must be a number (NaN and empty cells are not accepted)");
      rows[r * columns.length + c] = v;
    });
  });
  return { rows, n };
}
