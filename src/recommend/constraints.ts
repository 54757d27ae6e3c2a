/** What the user will not compromise on: a time budget, which models, fixed hyperparameter values. */
import { z } from "zod";
import { byName, HpValue } from "../metadata/schema.ts";
import { formatSeconds } from "../util/format.ts";
export { formatSeconds } from "../util/format.ts";

export const Constraints = z.object({
  /** Maximum predicted training seconds for the recommended configuration. */
  budgetSeconds: z.number().positive().optional(),
  /** Only these models (exact names from the pack). */
  allowModels: z.array(z.string()).optional(),
  /** Never these models. */
  denyModels: z.array(z.string()).optional(),
  /** Hyperparameters whose value is given, e.g. {"batch_size": 32}. */
  fixed: byName(HpValue).optional(),
});
export type Constraints = z.infer<typeof Constraints>;

/** One readable sentence per constraint, stated in every answer. */
export function describeConstraints(c: Constraints): string[] {
  const out: string[] = [];
  if (c.budgetSeconds !== undefined) out.push(`predicted training time at most ${formatSeconds(c.budgetSeconds)}`);
  if (c.allowModels?.length) out.push(`models limited to ${c.allowModels.join(", ")}`);
  if (c.denyModels?.length) out.push(`models excluded: ${c.denyModels.join(", ")}`);
  for (const [k, v] of Object.entries(c.fixed ?? {})) out.push(`${k} fixed at ${v}`);
  return out;
}

