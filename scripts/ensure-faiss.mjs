#!/usr/bin/env node
// Makes sure faiss-node's native binding exists. The normal install downloads a prebuilt binary; where that
// is impossible (no GitHub access) we build the binding offline against Debian's static libfaiss
// (apt: libfaiss-dev libopenblas-dev patchelf; scripts/setup installs them). Runs only when the binding is missing.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
// Beside hporec's own node_modules in a checkout, hoisted next to hporec when it is installed as a dependency.
const faissDir = (() => {
  try {
    return path.dirname(require.resolve("faiss-node/package.json", { paths: [root] }));
  } catch {
    return path.join(root, "node_modules", "faiss-node");
  }
})();

function bindingLoads() {
  const r = spawnSync(process.execPath, ["-e", "const {IndexFlatL2}=require('faiss-node');new IndexFlatL2(2)"], {
    cwd: root,
    stdio: "ignore",
  });
  return r.status === 0;
}

if (!existsSync(faissDir)) process.exit(0); // not installed (e.g. --omit), nothing to do
if (bindingLoads()) process.exit(0);

const faissCmake = "/usr/lib/x86_64-linux-gnu/cmake/faiss/faiss-config.cmake";
const cmakeCandidates = [faissCmake, "/usr/lib/aarch64-linux-gnu/cmake/faiss/faiss-config.cmake"];
if (!cmakeCandidates.some(existsSync)) {
  console.error(
    "faiss-node: no prebuilt binding and Debian's libfaiss-dev is missing.\n" +
      "  fix: run scripts/setup (installs libfaiss-dev libopenblas-dev patchelf cmake with apt), then npm ci",
  );
  process.exit(1);
}

console.log("faiss-node: prebuilt binding missing, building it against Debian's libfaiss (offline)");
const deps = path.join(faissDir, "deps", "faiss");
rmSync(deps, { recursive: true, force: true });
mkdirSync(deps, { recursive: true });
// Stand-in for the vendored faiss sources: re-export Debian's imported targets to the parent project.
writeFileSync(
  path.join(deps, "CMakeLists.txt"),
  [
    "find_package(OpenMP REQUIRED)",
    "find_package(faiss CONFIG REQUIRED)",
    "set_target_properties(OpenMP::OpenMP_CXX PROPERTIES IMPORTED_GLOBAL TRUE)",
    "set_target_properties(faiss PROPERTIES IMPORTED_GLOBAL TRUE)",
    // Consumers of faiss (the binding) get the compat header force-included.
    'set_property(TARGET faiss APPEND PROPERTY INTERFACE_COMPILE_OPTIONS "SHELL:-include ${CMAKE_CURRENT_LIST_DIR}/idx_t_compat.h")',
    "",
  ].join("\n"),
);
// Debian ships faiss 1.7.3 where idx_t lives in Index; faiss-node 0.5.1 expects 1.7.4's faiss::idx_t.
writeFileSync(
  path.join(deps, "idx_t_compat.h"),
  "#pragma once\n#include <faiss/Index.h>\nnamespace faiss { using idx_t = Index::idx_t; }\n",
);

const cmakeJs = require.resolve("cmake-js/bin/cmake-js");
execFileSync(process.execPath, [cmakeJs, "compile"], {
  cwd: faissDir,
  stdio: "inherit",
  env: { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? "/usr" },
});

if (!bindingLoads()) {
  console.error("faiss-node: built, but the binding still does not load; see the build output above");
  process.exit(1);
}
console.log("faiss-node: binding built and loads");
