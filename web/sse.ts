/** Server-sent events read from a fetch body (EventSource cannot POST): text in, complete events out. */
export interface SseEvent {
  event: string;
  data: string;
}

export class SseParser {
  private buffer = "";
  /** A "\r" ending a piece may be the first half of "\r\n": decided with the next piece. */
  private pendingCr = false;

  /** Feeds a piece of the stream; returns the events it completed (an event ends with a blank line). */
  push(text: string): SseEvent[] {
    let t = (this.pendingCr ? "\r" : "") + text;
    this.pendingCr = t.endsWith("\r");
    if (this.pendingCr) t = t.slice(0, -1);
    this.buffer += t.replace(/\r\n?/g, "\n");
    const events: SseEvent[] = [];
    let end: number;
    while ((end = this.buffer.indexOf("\n\n")) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "data") data.push(value);
      }
      if (data.length) events.push({ event, data: data.join("\n") });
    }
    return events;
  }
}
