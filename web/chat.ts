/**
 * The chat: free text in, the answer streamed in as the server sends it (POST /v1/chat as server-sent events),
 * and the recommendation card under the answer that made one. One conversation until "New conversation".
 */
import { html } from "htm/preact";
import { useRef, useState } from "preact/hooks";
import { streamEvents } from "./api.ts";
import { RecommendationCard } from "./card.ts";
import type { ChatResult } from "./types.ts";

interface Turn {
  role: "user" | "assistant";
  text: string;
  result?: ChatResult;
  error?: string;
  streaming?: boolean;
}

const EXAMPLE = "about 3,000 dermoscopy images in 7 classes, 224 px, 2 GPU-hours";

export function ChatView() {
  const [turns, setTurns] = useState<Turn[]>([]);
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);
  const conversation = useRef<string | undefined>(undefined);

  const update = (f: (t: Turn) => Turn) => setTurns((all) => [...all.slice(0, -1), f(all[all.length - 1])]);

  const send = async (e: Event) => {
    e.preventDefault();
    const message = draft.trim();
    if (!message || busy) return;
    setDraft("");
    setBusy(true);
    setTurns((all) => [...all, { role: "user", text: message }, { role: "assistant", text: "", streaming: true }]);
    try {
      for await (const ev of streamEvents("/v1/chat", { message, ...(conversation.current ? { conversationId: conversation.current } : {}) })) {
        const data = JSON.parse(ev.data);
        if (ev.event === "meta") conversation.current = data.conversationId;
        else if (ev.event === "delta") update((t) => ({ ...t, text: t.text + data.text }));
        else if (ev.event === "result") update((t) => ({ ...t, text: data.reply, result: data as ChatResult }));
        else if (ev.event === "error") update((t) => ({ ...t, error: data.error.message }));
      }
    } catch (err) {
      update((t) => ({ ...t, error: (err as Error).message }));
    } finally {
      update((t) => ({ ...t, streaming: false }));
      setBusy(false);
    }
  };

  const restart = () => {
    conversation.current = undefined;
    setTurns([]);
  };

  return html`<section class="view chat" aria-labelledby="chat-title">
    <div class="view-head">
      <h2 id="chat-title">Chat</h2>
      ${turns.length > 0 && html`<button type="button" class="secondary" onClick=${restart} disabled=${busy}>New conversation</button>`}
    </div>
    ${turns.length === 0 &&
    html`<p class="muted">Describe your dataset in your own words: size, classes, image size, domain, budget. Follow up with questions ("why this learning rate?", "something cheaper?").</p>`}
    <ol class="turns">
      ${turns.map(
        (t) => html`<li class=${`turn ${t.role}`} data-testid=${t.role === "assistant" ? "answer" : undefined}>
          <p class="who">${t.role === "user" ? "You" : "hporec"}</p>
          <div class="bubble" aria-live=${t.streaming ? "polite" : undefined} aria-busy=${t.streaming ? "true" : undefined}>
            ${t.text ? html`<p class="reply">${t.text}</p>` : t.streaming && html`<p class="muted">Thinking…</p>`}
            ${t.error && html`<p class="error" role="alert">${t.error}</p>`}
          </div>
          ${t.result?.recommendation && html`<${RecommendationCard} rec=${t.result.recommendation} assumptions=${t.result.data?.assumptions ?? []} />`}
        </li>`,
      )}
    </ol>
    <form class="composer" onSubmit=${send}>
      <label for="chat-input" class="visually-hidden">Message</label>
      <textarea
        id="chat-input"
        rows="2"
        placeholder=${EXAMPLE}
        value=${draft}
        onInput=${(e: Event) => setDraft((e.target as HTMLTextAreaElement).value)}
        onKeyDown=${(e: KeyboardEvent) => e.key === "Enter" && !e.shiftKey && send(e)}
      ></textarea>
      <button type="submit" disabled=${busy || !draft.trim()}>${busy ? "Answering…" : "Send"}</button>
    </form>
    ${turns.length === 0 && html`<p><button type="button" class="link" onClick=${() => setDraft(EXAMPLE)}>Try: “${EXAMPLE}”</button></p>`}
  </section>`;
}
