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

function matchPath(template: string, path: string): Record<string, string> | null {
  const want = template.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    if (segment.startsWith("{") && segment.endsWith("}")) {
      if (got[i] === "") return null;
      params[segment.slice(1, -1)] = got[i];
    } else if (segment !== got[i]) {
      return null;
    }
  }
  return params;
}

/**
 * The route of `method` and `path`.
 *
 * @throws {HttpError} 404 `not_found` for an unknown path, 405 with `Allow` for a known path and another method
 */
export function findRoute<R extends Routable>(routes: readonly R[], method: string, path: string): Match<R> {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params === null) continue;
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
