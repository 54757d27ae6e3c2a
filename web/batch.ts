/**
 * Batch: a CSV/JSONL file of cards read here, sent as one job (POST /v1/batch), followed until done (GET
 * /v1/batch/:id), then the results to download as JSONL. Every failure keeps its line and the server's reason.
 */
import { html } from "htm/preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { fmt } from "../src/util/format.ts";
import { api, type ApiError } from "./api.ts";
import type { BatchLine } from "./batch-file.ts";
import type { BatchStatus } from "./types.ts";

const POLL_MS = 500;

interface Job {
  id: string;
  /** File line and dataset name of each item sent, by index. */
  lines: number[];
  names: string[];
  status?: BatchStatus;
}

export function BatchView() {
  const [file, setFile] = useState<{ name: string; lines: BatchLine[] }>();
  const [error, setError] = useState<string>();
  const [job, setJob] = useState<Job>();
  const [download, setDownload] = useState<string>();
  const timer = useRef<number>(undefined);

  useEffect(() => () => clearTimeout(timer.current), []);

  const choose = async (e: Event) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    setError(undefined);
    setJob(undefined);
    setFile(undefined);
    if (!f) return;
    try {
      const { readBatchText } = await import("./batch-file.ts");
      const lines = readBatchText(f.name, await f.text());
      if (!lines.length) throw new Error("the file holds no cards");
      setFile({ name: f.name, lines });
    } catch (err) {
      setError(`${f.name}: ${(err as Error).message}`);
    }
  };

  const poll = async (j: Job) => {
    try {
      const status = await api<BatchStatus>("GET", `/v1/batch/${j.id}`);
      setJob({ ...j, status });
      if (status.status === "done" || status.status === "cancelled") return finish(j, status);
      timer.current = window.setTimeout(() => poll(j), POLL_MS);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const run = async () => {
    const sendable = file!.lines.filter((l) => l.input);
    setError(undefined);
    try {
      const r = await api<{ id: string }>("POST", "/v1/batch", { items: sendable.map((l) => l.input) });
      const j = { id: r.id, lines: sendable.map((l) => l.line), names: sendable.map((l) => String(l.input?.card.name ?? "")) };
      setJob(j);
      poll(j);
    } catch (err) {
      const f = err as ApiError;
      // "body.items.3.constraints.budgetSeconds" -> the file line of item 3.
      const m = /^body\.items\.(\d+)\.?(.*)$/.exec(f.path ?? "");
      setError(m ? `line ${sendable[Number(m[1])].line}${m[2] ? ` (${m[2]})` : ""}: ${f.message}` : f.message);
    }
  };

  const cancel = () => job && api("DELETE", `/v1/batch/${job.id}`).catch((e: Error) => setError(e.message));

  const finish = (j: Job, status: BatchStatus) => {
    const rows = status.results.map(({ index, ...r }) => ({ line: j.lines[index], name: j.names[index] || null, ...r }));
    if (download) URL.revokeObjectURL(download);
    setDownload(URL.createObjectURL(new Blob([rows.map((r) => JSON.stringify(r)).join("\n") + "\n"], { type: "application/x-ndjson" })));
  };

  const unreadable = file?.lines.filter((l) => l.error) ?? [];
  const s = job?.status;
  return html`<section class="view batch" aria-labelledby="batch-title">
    <h2 id="batch-title">Batch</h2>
    <p class="muted">A CSV (header: name,samples,classes,imageSize,channels,domain,modality,budgetSeconds,objective), a JSONL file or a JSON array of dataset cards, as <code>hporec batch</code> reads.</p>
    <div class="field">
      <label for="batch-file">Cards file</label>
      <input id="batch-file" type="file" accept=".csv,.tsv,.jsonl,.ndjson,.json,text/csv,application/x-ndjson" onChange=${choose} />
    </div>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${file &&
    html`<p>${file.lines.length - unreadable.length} card${file.lines.length - unreadable.length === 1 ? "" : "s"} read from ${file.name}${unreadable.length ? `, ${unreadable.length} unreadable line${unreadable.length === 1 ? "" : "s"}` : ""}.</p>
      ${unreadable.length > 0 && html`<ul class="failures">${unreadable.map((l) => html`<li>line ${l.line}: ${l.error}</li>`)}</ul>`}
      <div class="buttons">
        <button type="button" onClick=${run} disabled=${(job && !s) || s?.status === "running" || s?.status === "queued" || file.lines.length === unreadable.length}>Run batch</button>
        ${(s?.status === "running" || s?.status === "queued") && html`<button type="button" class="secondary" onClick=${cancel}>Cancel</button>`}
      </div>`}
    ${job &&
    html`<div class="progress" data-testid="batch-progress">
      <label for="batch-bar">Job ${job.id}: <strong data-testid="batch-status">${s?.status ?? "submitted"}</strong> · ${s?.completed ?? 0} of ${s?.total ?? job.lines.length} done${s?.failed ? `, ${s.failed} failed` : ""}</label>
      <progress id="batch-bar" max=${s?.total ?? job.lines.length} value=${s?.completed ?? 0}></progress>
    </div>`}
    ${s && s.results.length > 0 && html`<${Results} status=${s} job=${job!} />`}
    ${download && s?.status !== "running" && html`<p><a class="button" href=${download} download=${`hporec-batch-${job?.id}.jsonl`}>Download results (JSONL)</a></p>`}
  </section>`;
}

function Results({ status, job }: { status: BatchStatus; job: Job }) {
  return html`<div class="scroll"><table data-testid="batch-results">
    <thead><tr><th scope="col">line</th><th scope="col">dataset</th><th scope="col">result</th></tr></thead>
    <tbody>${status.results.map((r) => {
      const rec = r.recommendation;
      return html`<tr class=${r.ok ? "ok" : "failed"}>
        <td>${job.lines[r.index]}</td>
        <td>${job.names[r.index]}</td>
        <td>${
          rec
            ? html`<strong>${rec.recommendation.model}</strong> · ${rec.metric.name} ≈ ${fmt(rec.recommendation.predicted.metric, 3)}${r.judge ? ` · judge ${r.judge.pass ? "pass" : "fail"}` : ""}`
            : html`<span class="error">failed: ${r.error?.path ? `${r.error.path}: ` : ""}${r.error?.message}</span>`
        }</td>
      </tr>`;
    })}</tbody>
  </table></div>`;
}
