/**
 * A real local HTTP server standing in for Sentry's ingest endpoint: the SDK
 * POSTs envelopes to `/api/<project>/envelope/`; the server keeps them for
 * the test to inspect. Also a TCP listener that accepts and never answers
 * (a "hanging" Sentry host) and a port nobody listens on.
 * @module
 */

/** One item of an envelope: its header and its parsed JSON payload. */
export interface EnvelopeItem {
  header: { type?: string; [key: string]: unknown };
  payload: unknown;
}

/** One envelope as received. */
export interface Envelope {
  path: string;
  /** The decoded body, exactly as sent (for secret scanning). */
  raw: string;
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

/** A Sentry event payload, the fields the tests look at. */
export interface SentryEvent {
  message?: string | { formatted?: string; message?: string };
  level?: string;
  release?: string;
  environment?: string;
  server_name?: string;
  tags?: Record<string, string>;
  extra?: Record<string, unknown>;
  exception?: { values?: { type?: string; value?: string }[] };
}

/** The running fake. */
export interface FakeSentry {
  dsn: string;
  envelopes: Envelope[];
  /** Events (items of type `event`) received so far. */
  events(): SentryEvent[];
  /** Waits until `predicate` holds on the received envelopes (or throws after `timeoutMs`). */
  waitFor(predicate: (envelopes: Envelope[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

async function decodeBody(request: Request): Promise<string> {
  const encoding = request.headers.get("content-encoding");
  if (encoding === "gzip" || encoding === "deflate") {
    const stream = request.body!.pipeThrough(new DecompressionStream(encoding));
    return await new Response(stream).text();
  }
  return await request.text();
}

function parseEnvelope(path: string, raw: string): Envelope {
  const lines = raw.split("\n");
  const header = JSON.parse(lines[0]) as Record<string, unknown>;
  const items: EnvelopeItem[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) {
    if (lines[i].trim() === "") break;
    const itemHeader = JSON.parse(lines[i]) as EnvelopeItem["header"];
    let payload: unknown = lines[i + 1];
    try {
      payload = JSON.parse(lines[i + 1]);
    } catch {
      // attachments and the like stay text
    }
    items.push({ header: itemHeader, payload });
  }
  return { path, raw, header, items };
}

/** Starts the fake ingest endpoint on 127.0.0.1, on a free port. */
export function startFakeSentry(): FakeSentry {
  const envelopes: Envelope[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    const url = new URL(request.url);
    if (request.method === "POST" && /^\/api\/\d+\/envelope\/$/.test(url.pathname)) {
      envelopes.push(parseEnvelope(url.pathname, await decodeBody(request)));
      return Response.json({ id: crypto.randomUUID().replaceAll("-", "") });
    }
    await request.body?.cancel();
    return new Response("not found", { status: 404 });
  });
  const port = server.addr.port;
  return {
    dsn: `http://publickey@127.0.0.1:${port}/1`,
    envelopes,
    events() {
      return envelopes.flatMap((e) => e.items)
        .filter((item) => item.header.type === "event")
        .map((item) => item.payload as SentryEvent);
    },
    async waitFor(predicate, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(envelopes)) {
        if (Date.now() > deadline) throw new Error(`no matching envelope within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      await server.shutdown();
    },
  };
}

/** A port on 127.0.0.1 where nothing listens (connections are refused). */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A TCP server that accepts connections and never answers (a stalled Sentry host). */
export interface HangingServer {
  port: number;
  close(): void;
}

/** Starts a {@link HangingServer} on a free port of 127.0.0.1. */
export function startHangingServer(): HangingServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    try {
      for await (const conn of listener) conns.push(conn);
    } catch {
      // closed
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close() {
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
      try {
        listener.close();
      } catch {
        // already closed
      }
    },
  };
}
