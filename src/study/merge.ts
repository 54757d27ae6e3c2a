/**
 * Three-way merge of a study changed in two places at once: a chat turn (its copy, `mine`, changed from `base`, the
 * stored study the turn started from) and the study store (`theirs`, told or asked through /v1/studies meanwhile).
 * A trial is one result told at one moment (when, which configuration, what came out; not its id, which a merge may
 * change): what the turn told is added, what it forgot is removed, what was told meanwhile stays; the asked
 * configurations are the union. A result is never counted twice: a trial already stored is not added again, and
 * one told under an id taken meanwhile by another result gets the next free id.
 */
import { nextTrialId, recordAsked, type Study, type Trial } from "./study.ts";

const told = (t: Trial) => `${t.toldAt}|${t.candidateId ?? t.config.model}|${t.value ?? t.failed}`;

export function mergeStudy(base: Study | undefined, mine: Study, theirs: Study): Study {
  // Another study under this id (the chat started over on a new dataset): the turn's replaces it.
  if (!base || base.createdAt !== mine.createdAt || theirs.createdAt !== mine.createdAt) return mine;
  const inBase = new Set(base.trials.map(told));
  const inMine = new Set(mine.trials.map(told));
  const forgotten = new Set([...inBase].filter((k) => !inMine.has(k)));
  let out: Study = recordAsked({ ...theirs, request: mine.request, trials: theirs.trials.filter((t) => !forgotten.has(told(t))) }, mine.asked);
  for (const t of mine.trials.filter((x) => !inBase.has(told(x)))) {
    if (out.trials.some((x) => told(x) === told(t))) continue;
    const taken = out.trials.some((x) => x.id === t.id);
    out = { ...out, trials: [...out.trials, taken ? { ...t, id: nextTrialId(out) } : t] };
  }
  return out;
}
