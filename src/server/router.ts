/**
 * Matching a request to a route: paths are templates such as
 * `/api/v1/clients/{id}`; a path that matches no template is 404, a path that
 * matches with another method is 405 with `Allow`.
 * @module
 */
import { HttpError } from "./http.ts";
import { msg } from "../domain/messages.ts";

/** A method the API uses. */
export type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** What a router needs of a route. */
export interface Routable {
  method: Method;
  /** Template with `{name}` segments. */
  path: string;
}

/** A route found, and the values of its `{name}` segments. */
export interface Match<R> {
  route: R;
  params: Record<string, string>;
}

/** A template split once: each segment's text, or the parameter it names (`{id}` → `id`). */
type Compiled = readonly { text: string; param?: string }[];

/** The templates of a route table, split once per table (not once per route per request). */
const COMPILED = new WeakMap<readonly Routable[], Compiled[]>();

function compile(routes: readonly Routable[]): Compiled[] {
  const compiled = routes.map((route) =>
    route.path.split("/").map((text) =>
      text.startsWith("{") && text.endsWith("}") ? { text, param: text.slice(1, -1) } : { text }
    )
  );
  COMPILED.set(routes, compiled);
  return compiled;
}

function matchPath(want: Compiled, got: readonly string[]): Record<string, string> | null {
  if (want.length !== got.length) return null;
  for (let i = 0; i < want.length; i++) {
    if (want[i].param === undefined && want[i].text !== got[i]) return null;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const name = want[i].param;
    if (name === undefined) continue;
    if (got[i] === "") return null;
    params[name] = got[i];
  }
  return params;
}

/**
 * The route of `method` and `path`.
 *
 * @throws {HttpError} 404 `not_found` for an unknown path, 405 with `Allow` for a known path and another method
 */
export function findRoute<R extends Routable>(routes: readonly R[], method: string, path: string): Match<R> {
  const compiled = COMPILED.get(routes) ?? compile(routes);
  const got = path.split("/");
  const allowed: string[] = [];
  for (let i = 0; i < routes.length; i++) {
    const params = matchPath(compiled[i], got);
    if (params === null) continue;
    const route = routes[i];
    if (route.method === method) return { route, params };
    allowed.push(route.method);
  }
  if (allowed.length === 0) {
    throw new HttpError(404, "not_found", msg("errors.http.no_route", { method, path: path.slice(0, 200) }));
  }
  throw new HttpError(
    405,
    "invalid_input",
    msg("errors.http.method", { method: method.slice(0, 20), path: path.slice(0, 200), allowed: allowed.join(", ") }),
    { headers: { allow: allowed.join(", ") } },
  );
}
