import { Router } from "express";
import type { Metrics } from "../metrics.ts";

/** Health (ready once the pack is loaded), Prometheus metrics and the OpenAPI document: no API key needed. */
export function systemRoutes(metrics: Metrics, isReady: () => boolean, openapi: () => object): Router {
  return Router()
    .get("/health", (_req, res) => {
      res.status(isReady() ? 200 : 503).json({ status: isReady() ? "ready" : "loading" });
    })
    .get("/metrics", async (_req, res) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    })
    .get("/openapi.json", (_req, res) => {
      res.json(openapi());
    });
}
