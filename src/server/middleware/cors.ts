/** CORS for the configured origins only (off by default: browsers on other origins cannot call the API). */
import type { RequestHandler } from "express";

export function cors(origins: string[]): RequestHandler {
  const any = origins.includes("*");
  return (req, res, next) => {
    const origin = req.get("origin");
    if (origin && (any || origins.includes(origin))) {
      res.setHeader("Access-Control-Allow-Origin", any ? "*" : origin);
      res.setHeader("Vary", "Origin");
      res.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Accept, X-Request-Id");
      res.setHeader("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
      res.setHeader("Access-Control-Expose-Headers", "X-Request-Id");
    }
    if (req.method === "OPTIONS" && origin) return void res.status(204).end();
    next();
  };
}
