/**
 * The chat engine shared by POST /v1/chat, the OpenAI-compatible endpoint and `hporec chat`: a rule-based intent
 * per message, answered from the recommendation engine and the pack's SHAP evidence. With an LLM configured, the
 * dataset is read by the LLM extractor and a recommendation (or its "why") is reworded by the LLM, held to the
 * judge; both fall back to the rules on failure or timeout, so every answer exists without an LLM.
 */
import { z } from "zod";
import type { Engine } from "../recommend/engine.ts";
import type { Recommendation } from "../recommend/schema.ts";
import type { Constraints } from "../recommend/constraints.ts";
import { extractDatasetRequest } from "../llm/extract/llm-extract.ts";
import { parseDatasetRequest } from "../llm/extract/parse-request.ts";
import type { DatasetRequest } from "../llm/extract/dataset-request.ts";
import { renderPrompt } from "../llm/prompts.ts";
import { InputError } from "../util/errors.ts";
import { domainRanges } from "../explain/explain-learner.ts";
import { budgetText, CHAT_STUDY_PLAN, describeRange, importanceText, NOTHING_RUN_YET, predictedText, rangesFor, recommendationText } from "./answers.ts";
import type { Conversation } from "./conversation.ts";
import { datasetFromPartialCard } from "./dataset-from-text.ts";
import { checkRequest, packContext } from "../recommend/request.ts";
import { askedCount, comparedModels, detectIntent, mentionedHyperparameter, namedRun, reportedAsPercent, reportedFailure, reportedValue, type Intent } from "./intents.ts";
import { askStudy } from "../study/session.ts";
import { needsMoreMemory } from "../study/learn.ts";
import { forget, newStudy, recordAsked, runningConfigs, scaleIssue, studyPack, studyRequest, tell, type Study } from "../study/study.ts";
import { DEFAULT_TIMEOUT_MS, deadlineGenerator, generateWithDeadline, withDeadline, type LlmOptions } from "./llm.ts";
import { judgedLlmWriter } from "../recommend/llm-writer.ts";
import { wordingProblems } from "../judge/review.ts";
import { formatSeconds } from "../recommend/constraints.ts";
import { counted, fmt, signed } from "../util/format.ts";

export interface ChatReply {
  intent: Intent;
  reply: string;
  source: "deterministic" | "llm";
  recommendation?: Recommendation;
  data?: unknown;
  /** Why the LLM's wording was not used (it failed the judge twice), when that happened. */
  warnings?: string[];
}

export interface ChatEngineOptions {
  /** Candidates sampled per recommendation (default 2,000). */
  samples?: number;
  llm?: LlmOptions;
}

const Reworded = z.object({ reply: z.string().min(1).max(4000) });

export class ChatEngine {
  constructor(
    readonly engine: Engine,
    private readonly options: ChatEngineOptions = {},
  ) {}

  private get recommender() {
    return this.engine.recommender;
  }

  /** Answers one user message and records both turns in the conversation (which it mutates). */
  async reply(conv: Conversation, message: string): Promise<ChatReply> {
    const rules = parseDatasetRequest(message, { knownModels: this.recommender.pack.space.models });
    // A study turn (a result, a failure, "give me three") states no dataset: the LLM's reading would only add latency.
    const parsed = STUDY_INTENTS.has(detectIntent(message, rules, conv.recommendation !== undefined)) ? rules : await this.read(message, rules);
    const intent = detectIntent(message, parsed, conv.recommendation !== undefined);
    const answer = await this.answer(conv, message, parsed, intent);
    const final = await this.reword(message, answer, conv.recommendation);
    const at = new Date().toISOString();
    conv.messages.push({ role: "user", content: message, at }, { role: "assistant", content: final.reply, at });
    conv.updatedAt = at;
    return final;
  }

  /**
   * Rebuilds a conversation from the earlier user messages of a stateless history (the OpenAI-compatible
   * endpoint sends the whole history each time): every turn that changes the conversation is answered again, by
   * the rules and without an LLM, so a study's results land on the suggestions they answered and the next
   * suggestion is the one /v1/chat, which keeps the state, gives. Answers are deterministic; a turn the LLM had
   * read differently from the rules is replayed as the rules read it. A turn refused as input (a budget nothing
   * fits) left the conversation as it was, so it is skipped.
   */
  async replay(conv: Conversation, messages: readonly string[]): Promise<void> {
    for (const message of messages) {
      const parsed = parseDatasetRequest(message, { knownModels: this.recommender.pack.space.models });
      const intent = detectIntent(message, parsed, conv.recommendation !== undefined);
      if (!STATE_INTENTS.has(intent)) continue;
      try {
        await this.answer(conv, message, parsed, intent, false);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
      }
    }
  }

  /** ", or the larger models (a, b)" that an out-of-memory run of `model` rules out too (learn.ts), or "" when none. */
  private largerModels(model: string): string {
    const larger = this.recommender.pack.space.models.filter((m) => needsMoreMemory(m, model));
    return larger.length ? `, or the larger model${larger.length > 1 ? "s" : ""} (${larger.join(", ")}),` : "";
  }

  /** The LLM's reading of the message when one is configured, else (or on failure) the rules' `rules`. */
  private async read(message: string, rules: DatasetRequest): Promise<DatasetRequest> {
    const knownModels = this.recommender.pack.space.models;
    const llm = this.options.llm;
    if (!llm?.generator) return rules;
    const generator = llm.generator;
    const r = await withDeadline(llm.timeoutMs ?? DEFAULT_TIMEOUT_MS, () => extractDatasetRequest(message, { generator, knownModels }));
    if (r?.llm) llm.onTokens?.(r.llm.tokens.prompt, r.llm.tokens.completion);
    return r?.request ?? rules;
  }

  /** `live` is false when replaying a history: no LLM writes the recommendation. */
  private async answer(conv: Conversation, message: string, parsed: DatasetRequest, intent: Intent, live = true): Promise<ChatReply> {
    const base = { intent, source: "deterministic" as const };
    switch (intent) {
      case "recommend":
      case "budget": {
        const before = conv.recommendation;
        merge(conv, parsed, message);
        if (conv.card.samples === undefined || conv.card.classes === undefined)
          return { ...base, intent: "recommend", reply: askForDataset(conv) };
        const { rec, assumptions } = await this.recommendFor(conv, conv.constraints, live);
        conv.recommendation = rec;
        if (conv.study) releaseOffer(conv, conv.study);
        offered(conv, [rec.recommendation.candidateId]);
        conv.pending = conv.suggested = [rec.recommendation.candidateId];
        // New limits (a budget, the models) or a corrected fact are the same dataset: its study and results go on
        // under them (a new dataset has dropped the study in merge).
        const lines = [intent === "budget" && before ? budgetText(before, rec) : recommendationText(rec, assumptions)];
        if (conv.study) {
          conv.study = recordAsked({ ...conv.study, request: this.studyRequestOf(conv) }, askedOf(rec));
          const n = conv.study.trials.length;
          if (n) lines.push(`Your study goes on under this: its ${counted(n, "result")} told so far ${n > 1 ? "are" : "is"} kept, and the next suggestions follow the new limits.`);
        }
        return { ...base, reply: lines.join("\n"), recommendation: rec, data: { assumptions } };
      }
      case "why":
        await this.ensureRecommendation(conv);
        return { ...base, ...this.why(conv, message) };
      case "compare":
        return { ...base, ...(await this.compare(conv, message)) };
      case "importance":
        await this.ensureRecommendation(conv);
        return { ...base, reply: importanceText(this.recommender.explanations, conv.recommendation), data: { importance: this.recommender.explanations.importance.slice(0, 12) } };
      case "tell":
      case "failed":
      case "forget":
      case "more":
        await this.ensureRecommendation(conv);
        return { ...base, ...(await this.study(conv, message, intent)) };
      case "help":
        return {
          ...base,
          reply:
            "Describe your dataset (e.g. \"5,000 dermoscopy images, 7 classes, 224 px\") and I will recommend a pretrained model and its hyperparameters. " +
            'Then ask "what if I only have one GPU-hour?", "why this learning rate?", "compare EfficientNet-B4 with ViT here" or "which hyperparameters matter?". ' +
            'Once you have trained a suggestion, tell me how it went ("I got 71.2 %", "it ran out of memory") and I will suggest the next one, or "give me three to run in parallel".',
        };
    }
  }

  /**
   * The conversation's study: a result ("I got 71.2 % with that", "PRT-20 got 75.5 %") or a failure ("the second
   * one ran out of memory") is told for the run it names, or the only one awaiting a result (with several, the
   * chat asks which), then the next one is asked for; "give me three" asks for three; "that was wrong" takes the
   * last result back, and the next result told is that run's.
   */
  private async study(conv: Conversation, message: string, intent: Intent): Promise<Pick<ChatReply, "reply" | "data">> {
    const rec = conv.recommendation;
    if (!rec) return { reply: intent === "tell" || intent === "failed" ? NOTHING_RUN_YET : askForDataset(conv) };
    const r = this.recommender;
    if (!conv.study) {
      conv.study = recordAsked(newStudy(conv.id, studyPack(r.pack), this.studyRequestOf(conv)), askedOf(rec));
      conv.pending ??= [rec.recommendation.candidateId];
    }
    const lines: string[] = [];
    let config: string | undefined;
    if (intent === "forget") {
      const last = conv.study.trials.at(-1);
      if (!last) return { reply: "Nothing has been told yet, so there is nothing to take back." };
      conv.study = forget(conv.study, last.id, "message").study;
      // The next result told is the forgotten run's, not the configuration suggested after it.
      config = last.candidateId ?? rec.recommendation.candidateId;
      conv.pending = [config];
      lines.push(`Forgot ${last.id}: ${last.value === null ? `failed (${last.failed})` : fmt(last.value)} with ${last.config.model} (${config}).`);
      if (reportedValue(message) === undefined && !reportedFailure(message))
        return { reply: [...lines, `What did it score? Say e.g. "I got 71.2 %" and I will record it for ${config}.`].join("\n"), data: { study: { id: conv.study.id, trials: conv.study.trials.length } } };
    }
    if (intent !== "more") {
      const run = config !== undefined ? { id: config } : toldRun(conv, conv.study, message);
      if ("ask" in run) return { reply: run.ask, data: { study: { id: conv.study.id, trials: conv.study.trials.length }, pending: conv.pending } };
      config = run.id;
      conv.pending = conv.pending?.filter((p) => p !== config);
      const failed = intent === "tell" ? undefined : reportedFailure(message);
      const value = failed ? undefined : toldValue(conv.study, message);
      const told = tell(conv.study, failed ? { config, failed, reason: message.slice(0, 200) } : { config, value: value!.value }, "message");
      conv.study = told.study;
      const t = told.trial;
      lines.push(failed ? `Noted: ${t.config.model} (${config}) ${failed === "oom" ? `ran out of memory — I will not suggest it${this.largerModels(t.config.model)} at that batch size or larger` : "diverged — I will not suggest it at that learning rate or higher"}.` : `Noted: ${fmt(t.value!)} with ${t.config.model} (${config}).`);
      if (value?.note) lines.push(value.note);
    }
    const n = intent === "more" ? (askedCount(message) ?? 1) : 1;
    const kept = intent === "more" ? releaseOffer(conv, conv.study) : [];
    const running = runningRuns(conv, conv.study);
    const { study, answer } = await askStudy(r, conv.study, n, { running });
    conv.study = study;
    const ids = answer.suggestions.map((s) => s.candidateId);
    offered(conv, ids);
    // "Give me three" is the list to run (and to count places in), beside an earlier list's runs still awaiting a
    // result; a next one after a result joins those awaiting.
    if (intent === "more") [conv.pending, conv.suggested] = [[...kept, ...ids], ids];
    else conv.pending = [...new Set([...(conv.pending ?? []), ...ids])];
    lines.push(answer.belief.explanation);
    if (running.length) {
      const named = running.slice(0, 5).map((id) => `${id} (${study.asked.find((a) => a.candidateId === id)?.model})`);
      lines.push(`Still running, so not suggested again: ${named.join(", ")}${running.length > 5 ? ` and ${running.length - 5} more` : ""}.`);
    }
    answer.suggestions.forEach((s, i) =>
      lines.push(`${n > 1 ? `${i + 1}. ` : "Next: "}${s.model} (${s.candidateId}), predicted ${fmt(s.predicted.metric)}${s.expectedGain !== null ? ` (expected gain ${fmt(s.expectedGain)})` : ""}: ${Object.entries(s.hyperparameters).slice(0, 6).map(([k, v]) => `${k}=${fmt(v as number)}`).join(", ")}, …`),
    );
    if (!answer.suggestions.length) lines.push("Every candidate was either run or ruled out by a failure.");
    return { reply: lines.join("\n"), data: { study: { id: study.id, trials: study.trials.length }, suggestions: answer.suggestions, belief: answer.belief } };
  }

  /** The study's request for the conversation's dataset and limits as they now stand. */
  private studyRequestOf(conv: Conversation): Study["request"] {
    const { dataset } = datasetFromPartialCard(conv.card, "message");
    return studyRequest({ dataset, constraints: conv.constraints, objective: conv.objective, samples: this.options.samples });
  }

  /** A conversation replayed from a stateless history knows the dataset but has no recommendation yet. */
  private async ensureRecommendation(conv: Conversation): Promise<void> {
    if (conv.recommendation || conv.card.samples === undefined || conv.card.classes === undefined) return;
    conv.recommendation = (await this.recommendFor(conv, conv.constraints)).rec;
  }

  /** With `write` and an LLM, the LLM writes the answer, held to the rule judge like everywhere else. */
  private async recommendFor(conv: Conversation, constraints: Constraints, write = false): Promise<{ rec: Recommendation; assumptions: string[] }> {
    const { dataset, assumptions } = datasetFromPartialCard(conv.card, "message");
    const generator = write && this.options.llm ? deadlineGenerator(this.options.llm) : undefined;
    const req = checkRequest({ dataset, constraints, objective: conv.objective, samples: this.options.samples }, packContext(this.recommender.pack), "message");
    // Results are told in the chat itself, not through the CLI the deterministic justification names by default.
    const rec = await this.recommender.recommend(req, { ...(generator ? judgedLlmWriter(generator, this.recommender) : {}), studyPlan: CHAT_STUDY_PLAN });
    return { rec, assumptions };
  }

  private why(conv: Conversation, message: string): Pick<ChatReply, "reply" | "data"> {
    const { explanations: ex, pack } = this.recommender;
    const rec = conv.recommendation;
    const hp = mentionedHyperparameter(message, Object.keys(pack.space.searchSpace.hyperparameters));
    const limits = rec && (!hp || hp === "model") ? constraintReason(rec) : [];
    if (!hp) {
      if (!rec) return { reply: "Ask me for a recommendation first (describe your dataset), then I can explain it." };
      return { reply: [...limits, rec.justification, `Evidence: ${rec.evidence.map((e) => `[${e.id}] ${e.summary}`).join(" ")}`].join("\n"), data: { drivers: rec.drivers, evidence: rec.evidence } };
    }
    // Ranked among hyperparameters (the model apart), as the evidence documents rank them.
    const ranked = ex.importance.filter((i) => i.kind === (hp === "model" ? "model" : "hp"));
    const rank = ranked.findIndex((i) => i.name === hp);
    const imp = ranked[rank];
    const range = rangesFor(ex, rec?.dataset.domain).find((r) => r.name === hp);
    const driver = rec?.drivers.find((d) => d.name === hp);
    const doc = this.engine.index.get(`hp:${hp}`) ?? (hp === "model" && rec ? this.engine.index.get(`model:${rec.recommendation.model}`) : undefined);
    const lines: string[] = [];
    if (rec) {
      const value = hp === "model" ? rec.recommendation.model : rec.recommendation.hyperparameters[hp];
      lines.push(`The recommended ${hp} is ${value == null ? "inactive" : fmt(value)}.`, ...limits);
      lines.push(
        driver
          ? `On your dataset it contributes ${signed(driver.contribution)} to the predicted score (SHAP), one of the top drivers of this choice.`
          : `It is not among the top drivers of this choice on your dataset: other hyperparameters matter more here.`,
      );
    }
    if (imp) lines.push(`Across past experiments ${hp} ranks #${rank + 1} among ${hp === "model" ? "choices" : "hyperparameters"} in importance (${(imp.share * 100).toFixed(0)}% of mean |SHAP|).`);
    lines.push(`Values that helped${domainRanges(ex, rec?.dataset.domain) ? ` on ${rec?.dataset.domain} datasets` : ""}: ${describeRange(range)}.`);
    if (doc) lines.push(`Evidence [${doc.id}]: ${firstLines(doc.text, 400)}`);
    return { reply: lines.join("\n"), data: { hyperparameter: hp, driver, importance: imp, goodRange: range, evidence: doc ? [doc.id] : [] } };
  }

  private async compare(conv: Conversation, message: string): Promise<Pick<ChatReply, "reply" | "data">> {
    const models = this.recommender.pack.space.models;
    const mentions = comparedModels(message, models);
    const unknown = mentions.filter((m) => !m.models.length);
    if (mentions.length < 2 || unknown.length)
      return {
        reply: `${unknown.length ? `The pack has no model matching ${unknown.map((u) => `"${u.mention}"`).join(", ")}. ` : "Name two models to compare. "}Models in this pack: ${models.join(", ")}.`,
      };
    if (conv.card.samples === undefined || conv.card.classes === undefined) return { reply: askForDataset(conv) };
    const rows: Array<{ mention: string; model: string; rec: Recommendation }> = [];
    for (const m of mentions) {
      try {
        const { rec } = await this.recommendFor(conv, { ...conv.constraints, allowModels: m.models, denyModels: undefined });
        rows.push({ mention: m.mention, model: rec.recommendation.model, rec });
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        return { reply: `I cannot compare under your constraints: ${e.message}.` };
      }
    }
    const lines = rows.map(
      (r) =>
        `${r.mention} → ${r.model}${mentions.find((m) => m.mention === r.mention)!.models.length > 1 ? " (best of its family in the pack)" : ""}: ${predictedText(r.rec, r.rec.recommendation)}, training ≈ ${formatSeconds(r.rec.recommendation.predicted.seconds)}, lr=${fmt(r.rec.recommendation.hyperparameters.lr ?? "n/a")}`,
    );
    const best = [...rows].sort((a, b) => b.rec.recommendation.predicted.score - a.rec.recommendation.predicted.score)[0];
    lines.push(`The meta-learner prefers ${best.model} for your dataset (each model with its own best predicted configuration).`);
    return {
      reply: lines.join("\n"),
      data: { compared: rows.map((r) => ({ mention: r.mention, model: r.model, predicted: r.rec.recommendation.predicted, hyperparameters: r.rec.recommendation.hyperparameters })) },
    };
  }

  /**
   * With an LLM, a recommendation (or the "why" of one) is reworded from its facts; on failure it stands as is. A
   * wording that contradicts the recommendation or leaves out the model or its predicted metric is asked for once
   * more with the judge's reasons, then the deterministic answer stands with a warning.
   */
  private async reword(message: string, answer: ChatReply, current?: Recommendation): Promise<ChatReply> {
    const llm = this.options.llm;
    const facts = checkedFacts(answer, current);
    if (!llm?.generator || !facts) return answer;
    const system = renderPrompt("chat-system", {}).text;
    const prompt = `${system}\n\nUser: ${message}\n\nFacts (from the meta-learner and the evidence; do not add others):\n${answer.reply}\n\nAnswer the user in at most six sentences as JSON {"reply": "..."}.`;
    let problems: string[] = [];
    for (let attempt = 1; attempt <= 2; attempt++) {
      const retry = problems.length ? `\n\nYour previous answer was rejected by the judge:\n${problems.slice(0, 4).map((p) => `- ${p.slice(0, 240)}`).join("\n")}\nAnswer again, stating only the facts above.` : "";
      const r = await generateWithDeadline(llm, { prompt: prompt + retry, schema: Reworded, schemaName: "chat_reply", maxTokens: 400, temperature: 0.2, seed: attempt });
      if (!r?.ok) return answer;
      const ctx = { pack: this.recommender.pack, recommender: this.recommender };
      problems = wordingProblems(r.value.reply, facts, ctx, true);
      if (!problems.length) return { ...answer, reply: r.value.reply, source: "llm" };
    }
    return { ...answer, warnings: [...(answer.warnings ?? []), `the LLM's wording failed the judge twice (${problems.slice(0, 2).join("; ")}); the computed answer is given`] };
  }
}

/** Turns of the conversation's study: they state no dataset, so the rules read them alone. */
const STUDY_INTENTS = new Set<Intent>(["tell", "failed", "forget", "more"]);
/** Turns that change the conversation (its dataset, limits, recommendation or study); the others only answer. */
const STATE_INTENTS = new Set<Intent>([...STUDY_INTENTS, "recommend", "budget"]);

/**
 * The recommendation an LLM rewording of `answer` is held to in full (no false claim, the model and its predicted
 * metric stated), or undefined when the answer is not reworded: only a recommendation and the "why" of one state
 * one recommendation's facts. Every other turn (a told result, suggestions, a failure, a budget, a comparison, a
 * hyperparameter's "why") carries ids, numbers and ranges the judge cannot hold a free text to, so its
 * deterministic text is the answer.
 */
function checkedFacts(answer: ChatReply, current?: Recommendation): Recommendation | undefined {
  if (answer.intent === "recommend") return answer.recommendation;
  const hp = (answer.data as { hyperparameter?: string } | undefined)?.hyperparameter;
  return answer.intent === "why" && hp === undefined ? current : undefined;
}

/** "actually 50,000 images", "sorry, I meant 100 classes": corrects the dataset stated before. */
const CORRECTION = /^\W*(actually|sorry|correction|oops|wait|no,|i meant)\b|\b(i meant|correction:)/i;

/**
 * New dataset facts replace old ones. A new dataset (samples and classes stated, not as a correction) starts
 * afresh, with fresh constraints and objective; a correction keeps every fact it does not restate.
 */
function merge(conv: Conversation, parsed: DatasetRequest, message: string): void {
  const newDataset = parsed.card.samples !== undefined && parsed.card.classes !== undefined && !CORRECTION.test(message);
  conv.card = newDataset ? { ...parsed.card } : { ...conv.card, ...parsed.card };
  conv.constraints = newDataset ? { ...parsed.constraints } : { ...conv.constraints, ...parsed.constraints };
  conv.objective = parsed.objective ?? (newDataset ? undefined : conv.objective);
  if (newDataset) {
    conv.study = undefined;
    conv.pending = conv.suggested = conv.released = undefined;
  }
}

/** Why the choice is what it is when the user's limits decided it: the budget, the model lists, the objective. */
function constraintReason(rec: Recommendation): string[] {
  const c = rec.constraints;
  const p = rec.recommendation.predicted;
  const out: string[] = [];
  if (c.budgetSeconds !== undefined)
    out.push(
      `Your budget of ${formatSeconds(c.budgetSeconds)} decides it: only configurations predicted to train within it were considered, and ${rec.recommendation.model} (≈ ${formatSeconds(p.seconds)}) scores best among them.`,
    );
  if (c.allowModels?.length || c.denyModels?.length) out.push(`Your model choice limits it: ${rec.constraintsStated.filter((s) => s.startsWith("models")).join("; ")}.`);
  if (rec.objective !== "accuracy") out.push(`You asked to optimise for ${rec.objective}: ${rec.objective === "cost" ? "the cheapest configuration within 5 points of the best prediction" : "a point of predicted accuracy is traded for a halving of training time"}.`);
  return out;
}

function askForDataset(conv: Conversation): string {
  const need = [conv.card.samples === undefined && "how many training images (or samples)", conv.card.classes === undefined && "how many classes"].filter(Boolean);
  return `To recommend, I need to know ${need.join(" and ")}; image size, colour/grayscale, domain and a time budget help too.`;
}

/** Whole lines of a document up to about `max` characters (an evidence text cut mid-sentence misleads). */
function firstLines(text: string, max: number): string {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    if (out.length && out.join("\n").length + line.length > max) break;
    out.push(line);
  }
  return out.join("\n");
}

/**
 * The suggestion a result is about: the one the message names (by id, or by its place in the last list), else
 * the only one awaiting a result. A name that fits no suggestion, or several awaiting with none named, is asked
 * about (listing them) rather than guessed.
 */
function toldRun(conv: Conversation, study: Study, message: string): { id: string } | { ask: string } {
  const asked = study.asked.map((a) => a.candidateId);
  const pending = awaiting(conv, study);
  const named = namedRun(message, asked);
  const list = conv.suggested ?? [];
  if (named && "id" in named) return named;
  if (named && "place" in named) {
    const id = named.place === "last" ? list.at(-1) : list[named.place - 1];
    if (id) return { id };
  }
  if (!named && pending.length === 1) return { id: pending[0] };
  // Nothing awaits a result (all told, or a conversation stored before this was kept): the last suggestion.
  if (!named && !pending.length && (conv.suggested?.length ?? 0) <= 1) return { id: list[0] ?? asked.at(-1)! };
  const model = (id: string) => study.asked.find((a) => a.candidateId === id)?.model;
  const runs = (ids: string[]) => ids.map((id) => `${id} (${model(id)})`).join(", ");
  const head =
    named && "unknown" in named
      ? `I have not suggested ${named.unknown} in this conversation.`
      : named
        ? `The last suggestions have no #${named.place}: ${runs(list)}.`
        : "Which run was it?";
  const choices = pending.length ? pending : list;
  const example = choices[0] ?? asked.at(-1);
  return {
    ask: `${head} ${pending.length ? `Awaiting a result: ${runs(pending)}` : `The last suggestions: ${runs(list)}`}. Name it, e.g. "${example} got 71.2 %"${list.length > 1 ? ' or "the second one ran out of memory"' : ""}, and I will record it.`,
  };
}

/**
 * The study's running configurations as the chat sees them: asked and not told (by the chat, or by a worker
 * through /v1/studies), less the suggestions the chat replaced before a result (releaseOffer). The next
 * suggestion is none of them.
 */
function runningRuns(conv: Conversation, study: Study): string[] {
  const released = new Set(conv.released ?? []);
  return runningConfigs(study).map((a) => a.candidateId).filter((id) => !released.has(id));
}

/**
 * A new offer ("give me three", a new recommendation) replaces a single suggestion awaiting a result (the
 * recommendation, or the "Next:" after a result), which the user may not have started: it is released, no longer
 * running. The runs of an earlier list of several stay running; returns those still awaiting a result.
 */
function releaseOffer(conv: Conversation, study: Study): string[] {
  const list = new Set((conv.suggested?.length ?? 0) > 1 ? conv.suggested : []);
  const pending = awaiting(conv, study);
  conv.released = [...new Set([...(conv.released ?? []), ...pending.filter((id) => !list.has(id))])];
  return pending.filter((id) => list.has(id));
}

/** The chat's suggestions still awaiting a result, in the order given. */
function awaiting(conv: Conversation, study: Study): string[] {
  const told = new Set(study.trials.map((t) => t.candidateId));
  return (conv.pending ?? []).filter((id) => !told.has(id));
}

/** Suggestions offered (again) are running once more. */
function offered(conv: Conversation, ids: readonly string[]): void {
  if (conv.released) conv.released = conv.released.filter((id) => !ids.includes(id));
}

/** The recommendation as a study's first suggestion. */
function askedOf(rec: Recommendation): Study["asked"] {
  const { candidateId, model, hyperparameters } = rec.recommendation;
  return [{ candidateId, model, hyperparameters }];
}

/**
 * The value a message reports, on the metric's scale, and what to say about it: a fraction of a percentage
 * metric said without a % sign ("it reached 0.83") is read as the percentage, and the reply says so; with the
 * sign it is taken as stated; any other doubt about the scale is said (as `tell` words it).
 */
function toldValue(study: Study, message: string): { value: number; note?: string } {
  const value = reportedValue(message)!;
  const issue = scaleIssue(study, value);
  if (!issue) return { value };
  if (issue.kind !== "fraction") return { value, note: `Note: ${issue.text}.` };
  if (reportedAsPercent(message)) return { value };
  return { value: issue.rescaled!, note: `I read ${fmt(value)} as ${fmt(issue.rescaled!)} %: ${study.metric!.name} is in % here (if the run really scored ${fmt(value)} %, say it with the % sign).` };
}
