/**
 * A loopback TCP proxy in front of the test PostgreSQL that can play a
 * database going down: `down()` cuts every connection it carries and then
 * accepts new ones without ever answering (a host that hangs), `up()`
 * forwards again. Both ends are on 127.0.0.1.
 * @module
 */

/** The running proxy. */
export interface DbProxy {
  /** `postgres://…` of the test database, through the proxy (same user, database and parameters). */
  url: string;
  down(): void;
  up(): void;
  close(): void;
}

/** Starts a proxy to the PostgreSQL of `databaseUrl` (which must be on loopback). */
export function startDbProxy(databaseUrl: string): DbProxy {
  const target = new URL(databaseUrl);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
    throw new Error("the proxy only forwards to a database on loopback");
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  let forwarding = true;
  const closeAll = () => {
    for (const conn of open) {
      try {
        conn.close();
      } catch {
        // already closed
      }
    }
    open.clear();
  };
  const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
    try {
      await from.readable.pipeTo(to.writable);
    } catch {
      // one side went away
    }
    for (const conn of [from, to]) {
      try {
        conn.close();
      } catch {
        // already closed
      }
      open.delete(conn);
    }
  };
  (async () => {
    try {
      for await (const conn of listener) {
        open.add(conn);
        if (!forwarding) continue; // held, never answered
        try {
          const upstream = await Deno.connect({
            hostname: target.hostname.replace(/^\[|\]$/g, ""),
            port: Number(target.port || 5432),
          });
          open.add(upstream);
          pipe(conn, upstream);
          pipe(upstream, conn);
        } catch {
          conn.close();
          open.delete(conn);
        }
      }
    } catch {
      // closed
    }
  })();
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String((listener.addr as Deno.NetAddr).port);
  return {
    url: url.toString(),
    down() {
      forwarding = false;
      closeAll();
    },
    up() {
      forwarding = true;
      closeAll();
    },
    close() {
      closeAll();
      try {
        listener.close();
      } catch {
        // already closed
      }
    },
  };
}
