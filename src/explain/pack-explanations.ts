/** Explanations as a pack file: computed once at training time, read by explain, evidence and recommend. */
import { readPackFile, type Pack } from "../learner/pack.ts";
import type { PackExtension } from "../learner/train-pack.ts";
import { InputError } from "../util/errors.ts";
import { explainLearner, type Explanations, type ExplainOptions } from "./explain-learner.ts";
import { ReducedSpace } from "./reduced-space.ts";

export const EXPLANATIONS_FILE = "explanations.json";

export function explanationsExtension(opts: ExplainOptions = {}): PackExtension {
  return (learner, md, content) => {
    content.extraFiles ??= {};
    content.extraFiles[EXPLANATIONS_FILE] = JSON.stringify(explainLearner(learner, md, opts)) + "\n";
  };
}

export function readExplanations(pack: Pack): Explanations {
  const data = readPackFile(pack, EXPLANATIONS_FILE);
  if (!data) throw new InputError("this pack has no explanations", pack.dir, `retrain it with: hporec train --out ${pack.dir}`);
  const ex = JSON.parse(data.toString("utf8")) as Explanations;
  // The reduced space is validated (and read in the format of older packs too); the rest is the trainer's own output.
  const reduced = ReducedSpace.safeParse(ex.reducedSpace);
  if (!reduced.success) throw new InputError(`explanations.json: malformed reduced space (${reduced.error.issues[0]?.message})`, pack.dir, `retrain it with: hporec train --out ${pack.dir}`);
  return { ...ex, reducedSpace: reduced.data };
}
