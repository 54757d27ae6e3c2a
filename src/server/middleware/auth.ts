/** Bearer API key on /v1 when HPOREC_API_KEY (or --api-key) is set; compared in constant time. */
import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { ApiError } from "../errors.ts";

const digest = (s: string) => createHash("sha256").update(s).digest();

export function requireApiKey(key: string): RequestHandler {
  const expected = digest(key);
  return (req, res, next) => {
    const m = /^Bearer\s+(.+)$/i.exec(req.get("authorization") ?? "");
    if (!m) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="hporec"');
      return next(new ApiError(401, "unauthorized", "missing API key: send Authorization: Bearer <key>", "headers.authorization"));
    }
    if (!timingSafeEqual(digest(m[1].trim()), expected)) return next(new ApiError(401, "unauthorized", "invalid API key", "headers.authorization"));
    next();
  };
}
