/**
 * A loopback listener that records every byte that reaches it: what a
 * planted setting would have sent (a token, a password, a report) shows up
 * here, so a test can assert that nothing did. It answers HTTP requests 503
 * with the API's error object, so a client that does reach it stops at once
 * instead of waiting.
 * @module
 */

/** What to send back once `received` (all bytes of this connection so far) has arrived; `close` ends it. */
export type Answer = (received: Uint8Array) => { reply?: Uint8Array; close: boolean } | null;

/** A running recorder. */
export interface Recorder {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  /** Every byte received so far, all connections together, as text. */
  text(): string;
  /** Stops listening and closes the connections. */
  close(): void;
}

const encoder = new TextEncoder();

/** Answers an HTTP request (headers and `content-length` body received) with a 503 error object. */
export const answerHttp503: Answer = (received) => {
  const text = new TextDecoder().decode(received);
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return null;
  const length = Number(/^content-length:\s*(\d+)/im.exec(text.slice(0, end))?.[1] ?? 0);
  if (received.length < end + 4 + length) return null;
  const body = '{"error":{"code":"unavailable","message":"recorder"}}';
  return {
    reply: encoder.encode(
      `HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n` +
        `connection: close\r\n\r\n${body}`,
    ),
    close: true,
  };
};

/** Starts a recorder on 127.0.0.1 (a free port), answering with `answer`. */
export function startRecorder(answer: Answer = answerHttp503): Recorder {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const chunks: Uint8Array[] = [];
  const open = new Set<Deno.Conn>();
  let connections = 0;
  const serve = async (conn: Deno.Conn) => {
    open.add(conn);
    let received = new Uint8Array(0);
    try {
      const buffer = new Uint8Array(64 * 1024);
      for (;;) {
        const n = await conn.read(buffer);
        if (n === null) break;
        const chunk = buffer.slice(0, n);
        chunks.push(chunk);
        const all = new Uint8Array(received.length + n);
        all.set(received);
        all.set(chunk, received.length);
        received = all;
        const next = answer(received);
        if (next?.reply) await conn.write(next.reply);
        if (next?.close) break;
      }
    } catch {
      // the client went away
    } finally {
      open.delete(conn);
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
  };
  (async () => {
    try {
      for await (const conn of listener) {
        connections++;
        serve(conn);
      }
    } catch {
      // closed
    }
  })();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    text: () => new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c]))),
    close() {
      listener.close();
      for (const conn of open) {
        try {
          conn.close();
        } catch {
          // already closed
        }
      }
    },
  };
}
