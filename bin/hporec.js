#!/usr/bin/env node
// Entry point of the `hporec` CLI: runs the TypeScript sources through tsx's loader (no build step).
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
