/**
 * Plain HTTP calls to a running `epic-events serve`, for the tests of the API
 * itself (the CLI tests go through `RemoteCrm`). Loopback only.
 * @module
 */

/** An answer, read whole. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** Sends one request to `base` + `path` and reads the whole answer. */
export async function api(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: BodyInit; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(options.body);
  }
  const response = await fetch(new URL(path, base), {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json<T>() {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new Error(`not JSON (HTTP ${response.status}): ${text.slice(0, 500)}`);
      }
    },
  };
}

/** Logs in through the API and returns the bearer token. */
export async function apiLogin(base: string, email: string, password: string): Promise<string> {
  const answer = await api(base, "POST", "/api/v1/sessions", { body: { email, password } });
  if (answer.status !== 201) throw new Error(`login failed: ${answer.status} ${answer.text}`);
  return answer.json<{ token: string }>().token;
}
