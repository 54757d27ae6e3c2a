/**
 * The page: checks it may use the API (asking for the key when the server has one), then the views — chat,
 * dataset form, study, batch — switched by the URL's hash so each has a link and the back button works
 * (#/study/<id> opens a study; the view's code is loaded when first opened).
 */
import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { api, type ApiError, setApiKey } from "./api.ts";
import { BatchView } from "./batch.ts";
import { ChatView } from "./chat.ts";
import { FormView } from "./form.ts";

const VIEWS = { chat: "Chat", form: "Dataset form", study: "Study", batch: "Batch" } as const;
type View = keyof typeof VIEWS;

/** "#/study/<id>" -> the view and its argument; anything unknown -> the chat. */
function routeOf(hash: string): { view: View; arg?: string } {
  const [view, arg] = hash.replace(/^#\/?/, "").split("/");
  return view in VIEWS ? { view: view as View, ...(arg ? { arg: decodeURIComponent(arg) } : {}) } : { view: "chat" };
}

type Access = { state: "checking" } | { state: "ready"; pack: string } | { state: "key"; message?: string } | { state: "error"; message: string };

export function App() {
  const [access, setAccess] = useState<Access>({ state: "checking" });
  const [{ view, arg }, setRoute] = useState(routeOf(location.hash));

  const check = async () => {
    try {
      const models = await api<{ data: { id: string }[] }>("GET", "/v1/models");
      setAccess({ state: "ready", pack: models.data.map((m) => m.id).find((id) => id !== "hporec") ?? "hporec" });
    } catch (e) {
      const f = e as ApiError;
      if (f.status === 401) setAccess({ state: "key", message: f.code === "unauthorized" && /invalid/.test(f.message) ? "That key was refused; check it and try again." : undefined });
      else if (f.code === "not_ready") setTimeout(check, 1000);
      else setAccess({ state: "error", message: f.message });
    }
  };

  // The browser test reads this mark: from navigation to a usable view (the API answered).
  useEffect(() => {
    if (access.state === "ready" && !performance.getEntriesByName("hporec-interactive").length) performance.mark("hporec-interactive");
  }, [access.state]);

  useEffect(() => {
    check();
    const onHash = () => setRoute(routeOf(location.hash));
    addEventListener("hashchange", onHash);
    return () => removeEventListener("hashchange", onHash);
  }, []);

  return html`<header class="top">
      <a class="brand" href="#/chat">hporec</a>
      <p class="tagline">Which model and which hyperparameters for your dataset, with the evidence.</p>
      ${access.state === "ready" &&
      html`<nav aria-label="views"><ul>${(Object.keys(VIEWS) as View[]).map(
        (v) => html`<li><a href=${`#/${v}`} aria-current=${v === view ? "page" : undefined}>${VIEWS[v]}</a></li>`,
      )}</ul></nav>`}
    </header>
    <main id="main">
      ${access.state === "checking" && html`<p class="muted" aria-busy="true">Connecting to hporec…</p>`}
      ${access.state === "error" && html`<p class="error" role="alert">${access.message}</p>`}
      ${access.state === "key" && html`<${KeyPrompt} message=${access.message} onKey=${(k: string) => (setApiKey(k), setAccess({ state: "checking" }), check())} />`}
      ${access.state === "ready" && (view === "chat" ? html`<${ChatView} />` : view === "form" ? html`<${FormView} />` : view === "study" ? html`<${StudyRoute} id=${arg} />` : html`<${BatchView} />`)}
    </main>
    <footer class="muted">${access.state === "ready" ? `pack ${access.pack} · ` : ""}<a href="/openapi.json">API</a></footer>`;
}

function KeyPrompt({ message, onKey }: { message?: string; onKey: (key: string) => void }) {
  const [key, setKey] = useState("");
  return html`<section class="view key" aria-labelledby="key-title">
    <h2 id="key-title">API key</h2>
    <p>This hporec server requires an API key (<code>--api-key</code> or <code>HPOREC_API_KEY</code>). It is kept for this tab only.</p>
    <form onSubmit=${(e: Event) => (e.preventDefault(), key.trim() && onKey(key))}>
      <div class="field">
        <label for="api-key">API key</label>
        <input id="api-key" type="password" autocomplete="current-password" autofocus value=${key} onInput=${(e: Event) => setKey((e.target as HTMLInputElement).value)} aria-describedby=${message ? "key-error" : undefined} />
        ${message && html`<small id="key-error" class="error" role="alert">${message}</small>`}
      </div>
      <button type="submit" disabled=${!key.trim()}>Continue</button>
    </form>
  </section>`;
}

/** The study view, loaded on first use (most visitors never open one). */
function StudyRoute({ id }: { id?: string }) {
  const [mod, setMod] = useState<typeof import("./study.ts")>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    import("./study.ts").then(setMod, (e: Error) => setError(`the study view could not be loaded: ${e.message}`));
  }, []);
  if (error) return html`<p class="error" role="alert">${error}</p>`;
  return mod ? html`<${mod.StudyView} id=${id} />` : html`<p class="muted" aria-busy="true">Loading the study…</p>`;
}
