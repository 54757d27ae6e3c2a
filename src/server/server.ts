/**
 * Listens on host:port (127.0.0.1 by default) and shuts down gracefully on SIGTERM/SIGINT: stop accepting,
 * let in-flight requests finish (bounded), stop batch jobs after their item in flight, flush conversations.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createApp, type CreateAppInput, type HporecApp } from "./app.ts";

export interface ServerOptions {
  host?: string;
  /** 0 = an ephemeral port. */
  port?: number;
  /** How long in-flight requests get to finish on shutdown. */
  drainMs?: number;
  /** A client has this long to send its whole request (headers and body); slower ones are disconnected (default 15 s). */
  requestTimeoutMs?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  hporec: HporecApp;
  server: http.Server;
  close: () => Promise<void>;
}

export async function startServer(input: CreateAppInput, opts: ServerOptions = {}): Promise<RunningServer> {
  const hporec = createApp(input);
  // A request (not its answer) must arrive within the timeout, checked every second: clients trickling an
  // incomplete body cannot hold connections. Idle keep-alive sockets close sooner than typical proxies' do.
  const requestTimeout = opts.requestTimeoutMs ?? 15_000;
  const server = http.createServer({ requestTimeout, headersTimeout: Math.min(requestTimeout, 10_000), connectionsCheckingInterval: Math.min(1000, requestTimeout) }, hporec.app);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 8080, opts.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), opts.drainMs ?? 10_000);
      await drained;
      clearTimeout(timer);
      await hporec.close();
    })());
  return { url: `http://${host}:${port}`, port, hporec, server, close };
}

