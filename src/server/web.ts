/**
 * The web app at `/`: the static files bundled by scripts/build-web.mjs (dist/web, built by `npm ci`). Same
 * origin as the API, so the page calls /v1 with the same API key; nothing is fetched from elsewhere (the CSP
 * says so to the browser). Without a build, `/` explains how to make one.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { Router } from "express";
import { ApiError } from "./errors.ts";

/** The package's build: src/server and dist/server are both two folders under the package root. */
export const WEB_DIR = fileURLToPath(new URL("../../dist/web/", import.meta.url));

// vega compiles chart expressions with Function (unsafe-eval) and vega-embed adds its style element.
const CSP = "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function webRoutes(dir = WEB_DIR): Router {
  return Router()
    .use(
      express.static(dir, {
        index: "index.html",
        setHeaders: (res, file) => {
          res.setHeader("X-Content-Type-Options", "nosniff");
          // Bundles carry a content hash in their name; the page itself must be checked every time.
          if (path.basename(file) === "index.html") res.setHeader("Cache-Control", "no-cache").setHeader("Content-Security-Policy", CSP);
          else res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        },
      }),
    )
    .get("/", (_req, _res, next) => {
      if (!existsSync(path.join(dir, "index.html")))
        return next(new ApiError(503, "web_app_not_built", `the web app is not built (no ${path.join(dir, "index.html")}): run npm run build:web (npm ci runs it)`, "path"));
      next();
    });
}
