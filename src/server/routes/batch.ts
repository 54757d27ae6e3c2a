import { Router } from "express";
import type { Services } from "../context.ts";
import { ApiError } from "../errors.ts";
import { BatchQuery, BatchRequest, IdParam } from "../schemas.ts";
import { parseBody, parseParams, parseQuery } from "../validate.ts";

export function batchRoutes(s: Services): Router {
  const notFound = (id: string) => new ApiError(404, "job_not_found", `no batch job ${id}`, "params.id");
  return Router()
    .post("/v1/batch", async (req, res) => {
      const { items } = parseBody(BatchRequest, req);
      const job = await s.jobs.submit(items);
      res.status(202).location(`/v1/batch/${job.id}`).json({ id: job.id, status: job.status, total: items.length });
    })
    .get("/v1/batch/:id", async (req, res) => {
      const { id } = parseParams(IdParam, req);
      const q = parseQuery(BatchQuery, req);
      const view = await s.jobs.view(id, q.offset, q.limit);
      if (!view) throw notFound(id);
      res.json(view);
    })
    .delete("/v1/batch/:id", async (req, res) => {
      const { id } = parseParams(IdParam, req);
      if (!(await s.jobs.cancel(id))) throw notFound(id);
      // The job as GET shows it with the default page, so the results kept are there to read.
      const page = BatchQuery.parse({});
      res.json(await s.jobs.view(id, page.offset, page.limit));
    });
}
