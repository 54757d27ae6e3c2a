/** Server-Sent Events: chosen when the client sends Accept: text/event-stream. */
import type { Request, Response } from "express";

export function wantsEventStream(req: Request): boolean {
  return (req.get("accept") ?? "").includes("text/event-stream");
}

export class EventStream {
  private closed = false;

  constructor(private readonly res: Response) {
    res.status(200);
    res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    res.setHeader("Cache-Control", "no-cache, no-transform");
    res.setHeader("Connection", "keep-alive");
    res.setHeader("X-Accel-Buffering", "no");
    res.flushHeaders();
    res.on("close", () => (this.closed = true));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** A named event with a JSON payload; `event` omitted = the default "message" event (OpenAI chunks). */
  send(data: unknown, event?: string): void {
    if (this.closed) return;
    this.res.write(`${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);
  }

  end(): void {
    if (!this.closed) this.res.end();
    this.closed = true;
  }
}

/** Splits an answer into word-sized pieces to stream (the deterministic writer has the whole text at once). */
export function chunks(text: string, size = 24): string[] {
  const out: string[] = [];
  const re = /\S+\s*/g;
  let cur = "";
  for (const m of text.matchAll(re)) {
    if (cur.length + m[0].length > size && cur) {
      out.push(cur);
      cur = "";
    }
    cur += m[0];
  }
  if (cur) out.push(cur);
  // Leading whitespace or newlines before the first word belong to the first chunk.
  const lead = /^\s*/.exec(text)![0];
  if (lead && out.length) out[0] = lead + out[0];
  return out;
}
