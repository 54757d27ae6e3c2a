/** Prometheus metrics (prom-client), one registry per app so tests and several apps in a process stay apart. */
import type { RequestHandler } from "express";
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface Metrics {
  registry: Registry;
  requests: Counter<"method" | "route" | "status">;
  latency: Histogram<"method" | "route">;
  recommendations: Counter<"endpoint" | "model">;
  llmTokens: Counter<"kind">;
  middleware: RequestHandler;
}

/**
 * @param routes the API's route patterns in OpenAPI form ("/v1/batch/{id}"): a request rejected before it
 *   reached its route (401, malformed JSON) is still counted under that route, not as "unmatched".
 */
export function createMetrics(routes: readonly string[] = []): Metrics {
  const patterns = routes.map((r) => ({ route: r.replace(/\{(\w+)\}/g, ":$1"), re: new RegExp(`^${r.replace(/\{\w+\}/g, "[^/]+")}$`) }));
  const routeOf = (path: string) => patterns.find((p) => p.re.test(path))?.route ?? "unmatched";
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "hporec_" });
  const requests = new Counter({ name: "hporec_http_requests_total", help: "HTTP requests by route and status", labelNames: ["method", "route", "status"] as const, registers: [registry] });
  const latency = new Histogram({
    name: "hporec_http_request_duration_seconds",
    help: "HTTP request latency",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const recommendations = new Counter({ name: "hporec_recommendations_total", help: "Recommendations made, by endpoint and recommended model", labelNames: ["endpoint", "model"] as const, registers: [registry] });
  const llmTokens = new Counter({ name: "hporec_llm_tokens_total", help: "LLM tokens used, by kind (prompt, completion)", labelNames: ["kind"] as const, registers: [registry] });
  const middleware: RequestHandler = (req, res, next) => {
    const end = latency.startTimer();
    res.on("finish", () => {
      // The matched route pattern, not the URL: ids must not explode label cardinality.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : routeOf(req.originalUrl.split("?")[0]);
      end({ method: req.method, route });
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, requests, latency, recommendations, llmTokens, middleware };
}
