/** A child process of the nested evaluation (nested.ts): runs the inner folds it is sent, one at a time. */
import { runInnerJob, type InnerJob } from "./nested.ts";

process.on("message", async (job: InnerJob) => {
  try {
    process.send!({ ok: true, records: await runInnerJob(job) });
  } catch (e) {
    process.send!({ ok: false, error: (e as Error).stack ?? String(e) });
  }
});
