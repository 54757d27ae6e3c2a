/** The "importance for this dataset" section of a recommendation: its schema alone (zod only, cheap to import). */
import { z } from "zod";
import { HpValue } from "../../metadata/schema.ts";

export const ImportanceForDataset = z.object({
  game: z.literal("tunability"),
  /** What a value is, e.g. "predicted rank, 0-1". */
  valueLabel: z.string(),
  /** Predicted value of the baseline, and the best reachable by tuning every player (sampled). */
  baselineValue: z.number(),
  tunedValue: z.number(),
  baseline: z.object({ model: z.string(), hyperparameters: z.record(z.string(), HpValue) }),
  /** Shapley values of the tunability game, largest first; share = value / sum of values. */
  players: z.array(z.object({ name: z.string(), members: z.array(z.string()), value: z.number(), share: z.number() })),
  interactions: z.array(z.object({ a: z.string(), b: z.string(), value: z.number() })),
  samples: z.number().int(),
  seconds: z.number(),
});
export type ImportanceForDataset = z.infer<typeof ImportanceForDataset>;
