/**
 * A recommendation worker: its own recommender from the pack, warmed, answering requests. It has no knowledge
 * index (faiss-node is not worker-safe): each request brings the similar datasets the main thread found.
 */
import { parentPort, workerData } from "node:worker_threads";
import { loadRecommender } from "../../recommend/load-recommender.ts";
import type { DatasetFeatures } from "../../learner/features.ts";
import { ruleJudge } from "../../judge/rule-judge.ts";
import { isInputError } from "../../util/errors.ts";
import type { WorkerReply, WorkerRequest, WorkerSetup } from "./recommend-pool.ts";

const { packDir, samples } = workerData as WorkerSetup;
const similarTo = new WeakMap<DatasetFeatures, WorkerRequest["similar"]>();
const recommender = loadRecommender(packDir, async (dataset, k) => (similarTo.get(dataset) ?? []).slice(0, k));
// Without neighbours here, warming prepares the sampled candidates and compiles the code.
await recommender.warmUp(samples);
const port = parentPort!;

port.on("message", async ({ id, req, assumptions, similar }: WorkerRequest) => {
  let reply: WorkerReply;
  try {
    similarTo.set(req.dataset, similar);
    const recommendation = await recommender.recommend(req);
    const judge = ruleJudge(recommendation, { pack: recommender.pack, recommender });
    reply = { id, ok: true, outcome: { recommendation, judge, assumptions } };
  } catch (e) {
    const err = e as Error;
    reply = { id, ok: false, error: isInputError(e) ? { input: true, message: err.message, where: e.where, hint: e.hint } : { input: false, message: err.message } };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
