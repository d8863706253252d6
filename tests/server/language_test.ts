/**
 * A real `epic-events serve` answers each error in its request's
 * `Accept-Language` (issue 18), on SQLite and on PostgreSQL: the status, the
 * stable `error.code` and `error.field` never change, the message does; no
 * header, or no language of ours in it, is English. The server's logs stay
 * English.
 * @module
 */
import assert from "node:assert/strict";
import { backendTest } from "../support/backends.ts";
import { initManager, PASSWORD } from "../support/fixtures.ts";
import { api, type ApiAnswer, apiLogin } from "../support/http.ts";
import { startServe } from "../support/remote.ts";

function errorOf(answer: ApiAnswer): { code: string; message: string; field?: string } {
  return answer.json<{ error: { code: string; message: string; field?: string } }>().error;
}

backendTest("the server answers errors in the request's Accept-Language", async (b) => {
  const manager = await initManager(b);
  const server = await startServe({ ...b.env, EPIC_EVENTS_LOG_DIR: `${b.dir}/server-logs` }, { cwd: b.dir });
  try {
    const base = server.url;
    const token = await apiLogin(base, manager.email, PASSWORD);
    const cases: Array<{ what: string; ask: (lang?: string) => Promise<ApiAnswer>; en: string; fr: string }> = [
      {
        what: "wrong password (exit 3's kind, through the database)",
        ask: (lang) =>
          api(base, "POST", "/api/v1/sessions", {
            body: { email: manager.email, password: "wrong password 123" },
            headers: lang ? { "accept-language": lang } : {},
          }),
        en: "Invalid email or password.",
        fr: "Identifiants incorrects.",
      },
      {
        what: "a record that does not exist",
        ask: (lang) =>
          api(base, "GET", "/api/v1/clients/999999", { token, headers: lang ? { "accept-language": lang } : {} }),
        en: "Client 999999 not found.",
        fr: "Client 999999 introuvable.",
      },
      {
        what: "a field refused by its schema",
        ask: (lang) =>
          api(base, "POST", "/api/v1/clients", {
            token,
            body: {
              full_name: "Kate",
              email: "nope",
              phone: "+33 6 12 34 56 78",
              company_name: "Acme",
              sales_contact_id: 1,
            },
            headers: lang ? { "accept-language": lang } : {},
          }),
        en: "email: must be a valid email address",
        fr: "email\u00a0: doit être une adresse e-mail valide",
      },
      {
        what: "no such route",
        ask: (lang) => api(base, "GET", "/api/v1/nope", { token, headers: lang ? { "accept-language": lang } : {} }),
        en: "No such route: GET /api/v1/nope.",
        fr: "Route inconnue\u00a0: GET /api/v1/nope.",
      },
    ];
    for (const { what, ask, en, fr } of cases) {
      const english = await ask("en");
      const reference = errorOf(english);
      assert.equal(reference.message, en, what);
      for (
        const [header, message] of [
          [undefined, en],
          ["fr", fr],
          ["fr-FR,fr;q=0.9,en;q=0.8", fr],
          ["de-DE, fr;q=0.5, en;q=0.4", fr],
          ["en-GB,fr;q=0.7", en],
          ["de, es", en],
          ["*", en],
          ["fr;q=0", en],
        ] as const
      ) {
        const answer = await ask(header);
        assert.equal(answer.status, english.status, `${what}, ${header}`);
        assert.deepEqual(errorOf(answer), { ...reference, message }, `${what}, ${header}`);
      }
    }
  } finally {
    const { stderr } = await server.stop();
    assert.doesNotMatch(stderr, /introuvable|Identifiants/, "nothing French on the server's own output");
  }
  const log = await Deno.readTextFile(`${b.dir}/server-logs/info.log`).catch(() => "");
  assert.doesNotMatch(log, /introuvable|Identifiants|Route inconnue/, "the logs stay English");
}, { remote: false });
