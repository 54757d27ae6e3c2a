/**
 * Ask/tell studies over HTTP, persisted in the state store: a restart loses nothing, and a result told twice
 * (same trialId, or the same Idempotency-Key header) counts once. Asking reads a snapshot, computes, then records
 * the suggestions in one atomic update; telling is one atomic update. A configuration asked and not told is
 * running: later asks leave it out (unless includeRunning), so parallel workers never train the same one.
 */
import { randomUUID } from "node:crypto";
import { Router, type Request } from "express";
import { answerJson, askStudy, studyView } from "../../study/session.ts";
import { bestTrial, forget, newStudy, recordAsked, runningConfigs, studyPack, studyRequest, tell, tellMany, type Study } from "../../study/study.ts";
import type { StudyStore } from "../../store/store.ts";
import type { Services } from "../context.ts";
import { ApiError } from "../errors.ts";
import { toRecommendRequest } from "../recommend-input.ts";
import { packContext } from "../../recommend/request.ts";
import { AskRequest, IdParam, ResultsRequest, StudyCreate, StudyListQuery, TellInput, TrialParam } from "../schemas.ts";
import { parse, parseBody, parseParams, parseQuery } from "../validate.ts";

/** Times an ask is computed again when asks running at the same time chose the same configuration. */
const ASK_ATTEMPTS = 5;

export function studyRoutes(s: Services, store: StudyStore): Router {
  const recommender = s.engine.recommender;
  const context = packContext(recommender.pack);
  const notFound = (id: string) => new ApiError(404, "study_not_found", `no study ${id}`, "params.id");
  const load = async (req: Request): Promise<Study> => {
    const { id } = parseParams(IdParam, req);
    const study = await store.get(id);
    if (!study) throw notFound(id);
    if (study.pack !== recommender.pack.manifest.name)
      throw new ApiError(409, "pack_mismatch", `study ${id} was created with pack ${study.pack}; this server runs ${recommender.pack.manifest.name}`, "params.id");
    return study;
  };
  const view = (study: Study) => studyView(recommender, study);
  return Router()
    .get("/v1/studies", async (req, res) => {
      const { limit } = parseQuery(StudyListQuery, req);
      const studies = (await store.list(limit)).map(({ study: x, updatedAt }) => ({
        id: x.id,
        ...(x.request.dataset.name ? { name: x.request.dataset.name } : {}),
        pack: x.pack,
        direction: x.direction,
        createdAt: x.createdAt,
        updatedAt,
        trials: x.trials.length,
        running: runningConfigs(x).length,
        best: bestTrial(x)?.value ?? null,
      }));
      res.json({ studies });
    })
    .post("/v1/studies", async (req, res) => {
      const input = parseBody(StudyCreate, req);
      const { req: r } = toRecommendRequest(input, s.engine, s.options.samples);
      const study = newStudy(randomUUID(), studyPack(recommender.pack), studyRequest(r));
      await store.create(study);
      res.status(201).location(`/v1/studies/${study.id}`).json(await view(study));
    })
    .post("/v1/studies/:id/ask", async (req, res) => {
      const { n, includeRunning } = parse(AskRequest, req.body ?? {}, "body");
      // Workers asking at the same time: an answer that suggests what another ask recorded meanwhile (now running)
      // is computed again from the fresh study (up to ASK_ATTEMPTS times), so two workers do not get the same one.
      for (let attempt = 1; ; attempt++) {
        const study = await load(req);
        const r = await askStudy(recommender, study, n, includeRunning ? { running: [] } : {});
        const asked = r.study.asked.slice(study.asked.length);
        let clash = false;
        const saved = await store.update(study.id, (current) => {
          const meanwhile = new Set(current.asked.slice(study.asked.length).map((a) => a.candidateId));
          clash = !includeRunning && attempt < ASK_ATTEMPTS && r.answer.suggestions.some((x) => meanwhile.has(x.candidateId));
          return clash ? current : recordAsked(current, asked);
        });
        if (!saved) throw notFound(study.id);
        if (!clash) return void res.json(answerJson(r.answer));
      }
    })
    .post("/v1/studies/:id/tell", async (req, res) => {
      const study = await load(req);
      const body = parseBody(TellInput, req);
      const key = req.get("idempotency-key");
      if (key !== undefined && body.trialId !== undefined && key !== body.trialId)
        throw new ApiError(400, "invalid_request", "the Idempotency-Key header and trialId differ", "headers.idempotency-key");
      const input = { ...body, ...(key !== undefined ? { trialId: parse(TellInput.shape.trialId, key, "headers.idempotency-key") } : {}) };
      let out: ReturnType<typeof tell> | undefined;
      const saved = await store.update(study.id, (current) => {
        out = tell(current, input, "body", context);
        return out.study;
      });
      if (!saved || !out) throw notFound(study.id);
      res.status(out.duplicate ? 200 : 201).json({ trial: out.trial, duplicate: out.duplicate, trials: saved.trials.length, warnings: out.warnings });
    })
    .post("/v1/studies/:id/results", async (req, res) => {
      const study = await load(req);
      const { results } = parseBody(ResultsRequest, req);
      // All or nothing: one refused result (its place named) leaves the study as it was.
      let out: ReturnType<typeof tellMany> | undefined;
      const saved = await store.update(study.id, (current) => {
        out = tellMany(current, results.map((input, i) => ({ input, where: `body.results.${i}` })), context);
        return out.study;
      });
      if (!saved || !out) throw notFound(study.id);
      const warnings = out.warnings.map((w) => `${w.where.slice("body.".length)} (${w.trial.id}): ${w.text}`);
      res.status(out.told.length ? 201 : 200).json({ told: out.told, duplicates: out.duplicates, trials: saved.trials.length, warnings });
    })
    .delete("/v1/studies/:id/trials/:trialId", async (req, res) => {
      const study = await load(req);
      const { trialId } = parseParams(TrialParam, req);
      let out: ReturnType<typeof forget> | undefined;
      // Checked inside the store's transaction: a trial forgotten meanwhile by another request is a 404 too.
      const saved = await store.update(study.id, (current) => {
        if (!current.trials.some((t) => t.id === trialId))
          throw new ApiError(404, "trial_not_found", `no trial ${trialId} in study ${study.id}; it has ${current.trials.map((t) => t.id).join(", ") || "none"}`, "params.trialId");
        out = forget(current, trialId, "params.trialId");
        return out.study;
      });
      if (!saved || !out) throw notFound(study.id);
      res.json({ forgotten: out.trial, trials: saved.trials.length });
    })
    .get("/v1/studies/:id", async (req, res) => {
      res.json(await view(await load(req)));
    })
    .delete("/v1/studies/:id", async (req, res) => {
      const { id } = parseParams(IdParam, req);
      if (!(await store.delete(id))) throw notFound(id);
      res.status(204).end();
    });
}
