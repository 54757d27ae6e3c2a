import { Command, Option } from "commander";
import { buildPackIndex } from "../../retrieval/pack-index.ts";
import { action, printJson } from "../run.ts";
import { PACK_HELP, resolvePackDir } from "../pack-path.ts";

export function indexCommand(): Command {
  return new Command("index")
    .description("(re)build a pack's knowledge index: evidence documents embedded in FAISS (atomic: the old index stays usable until the swap)")
    .option("--pack <dir>", PACK_HELP)
    .option("--embed-model <gguf>", "embed with a GGUF model through node-llama-cpp (env HPOREC_EMBED_MODEL); default: built-in deterministic embedder")
    .addOption(new Option("--index <type>", "FAISS index: exact flat, or approximate HNSW for large pools").choices(["flat", "hnsw"]).default("flat"))
    .option("--json", "print a summary as JSON")
    .action(
      action(async (o: { pack?: string; embedModel?: string; index: "flat" | "hnsw"; json?: boolean }) => {
        const dir = resolvePackDir(o.pack);
        const t0 = performance.now();
        const index = await buildPackIndex(dir, { embedModel: o.embedModel }, { index: o.index });
        const kinds: Record<string, number> = {};
        for (const d of index.documents()) kinds[d.kind] = (kinds[d.kind] ?? 0) + 1;
        const summary = { pack: dir, documents: index.size, kinds, dimension: index.dimension, index: index.indexType, seconds: (performance.now() - t0) / 1000 };
        if (o.json) return printJson(summary);
        console.log(`index rebuilt: ${dir}/index — ${index.size} evidence documents (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")}), ${index.dimension} dims, ${index.indexType}, ${summary.seconds.toFixed(1)} s`);
      }),
    );
}
