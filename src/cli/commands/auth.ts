/** `epic-events init | login | logout | whoami`. @module */
import type { Command } from "@commander-js/extra-typings";
import { AppError, NotAuthenticatedError } from "../../domain/errors.ts";
import { userCreateSchema } from "../../domain/schemas/mod.ts";
import { MIGRATIONS } from "../../../migrations/mod.ts";
import { migrateUp } from "../../db/migrator.ts";
import { createFirstManager, type FirstManagerInput } from "../../services/users.ts";
import { readPassword, requireFields } from "../fields.ts";
import { printMessage, printRecord } from "../output.ts";
import { promptText } from "../prompts.ts";
import type { Runtime } from "../runtime.ts";
import { crmFor, loginCrm, parseServerUrl, rememberServer, serverOf } from "../server_mode.ts";
import { IDENTITY_FIELDS, printUser } from "./user.ts";

/** Registers `init`, `login`, `logout` and `whoami`. */
export function registerAuth(program: Command, rt: Runtime): void {
  program.command("init")
    .description("migrate the database and create the first MANAGEMENT user (refused once any user exists)")
    .option("--email <email>", "email of the first manager")
    .option("--first-name <name>", "first name")
    .option("--last-name <name>", "last name")
    .option("--phone <phone>", "phone number")
    .option("--password-stdin", "read the password from standard input")
    .action(async (opts) => {
      await migrateUp(await rt.rawDatabase(), { migrations: MIGRATIONS });
      const ctx = await rt.anonymousContext();
      const values = await requireFields(
        rt,
        {
          first_name: opts.firstName,
          last_name: opts.lastName,
          email: opts.email,
          phone: opts.phone,
        },
        IDENTITY_FIELDS,
        userCreateSchema,
      );
      const password = await readPassword(rt, { fromStdin: opts.passwordStdin, confirm: true });
      // The service's schema checks what was typed or prompted (strict: no other key).
      const user = await createFirstManager(ctx, values as FirstManagerInput, password);
      if (!rt.json) {
        printMessage(rt.io, rt, `Created the first manager; run \`epic-events login --email ${user.email}\`.`);
      }
      await printUser(rt, user);
    });

  program.command("login")
    .description("log in; prompts for what is missing on a terminal")
    .option("--email <email>", "your email")
    .option("--password-stdin", "read the password from standard input")
    .option("--server <url>", "log in to an `epic-events serve` (remembered for the next commands)")
    .action(async (opts) => {
      const crm = await loginCrm(rt, opts.server);
      const email = opts.email ?? (rt.interactive ? await promptText(rt, "Email") : undefined);
      if (email === undefined) {
        await requireFields(rt, { email }, [{ field: "email", flag: "--email", label: "Email" }]);
      }
      const password = await readPassword(rt, { fromStdin: opts.passwordStdin });
      const result = await crm.login({ email: email!, password });
      if (opts.server !== undefined) await rememberServer(rt, parseServerUrl(opts.server, "--server"));
      rt.userId = result.user.id;
      if (rt.json) {
        await printRecord(rt.io, rt, result, [], {
          json: (r) => ({
            id: r.user.id,
            email: r.user.email,
            first_name: r.user.first_name,
            last_name: r.user.last_name,
            role: r.user.role,
            expires_at: r.expires_at,
          }),
        });
      } else {
        printMessage(
          rt.io,
          rt,
          `Logged in as ${result.user.first_name} ${result.user.last_name} (${result.user.role}); the session expires at ${result.expires_at}.`,
        );
      }
    });

  program.command("logout")
    .description("end the session: the token is revoked and the local copy deleted")
    .option("--all", "end every session of mine, on every machine")
    .action(async (opts) => {
      const all = opts.all ?? false;
      const store = rt.tokenStore();
      let token: string | null = null;
      let revoked = false;
      try {
        token = await rt.currentToken();
        if (token || all) {
          const crm = crmFor(rt);
          if (all) {
            // `--all` needs a valid session to know whose sessions to end.
            await crm.logoutAll();
            revoked = true;
          } else {
            // An expired, tampered or already revoked token needs no revocation.
            revoked = (await crm.logout()).revoked;
          }
        }
      } catch (error) {
        // Whatever went wrong (no SECRET_KEY, database unreachable …), the
        // local token goes; the error still says what could not be done.
        await store.remove();
        throw locallyLoggedOut(error);
      }
      await store.remove();
      const message = all
        ? "Logged out of every session."
        : token
        ? (revoked ? "Logged out." : "Logged out (the session had already ended).")
        : "Not logged in.";
      if (rt.json) {
        await printRecord(rt.io, rt, { logged_out: true, revoked, ...(all ? { all: true } : {}) }, []);
      } else {
        printMessage(rt.io, rt, message);
      }
    });

  program.command("whoami")
    .description("show who is logged in and when the session expires")
    .action(async () => {
      const me = await crmFor(rt).whoami();
      const server = serverOf(rt)?.url.href.replace(/\/$/, "");
      const view = {
        id: me.id,
        email: me.email,
        first_name: me.first_name,
        last_name: me.last_name,
        role: me.role,
        expires_at: me.expires_at,
        ...(server ? { server } : {}),
      };
      await printRecord(rt.io, rt, view, [
        { header: "ID", value: (v) => v.id },
        { header: "EMAIL", value: (v) => v.email },
        { header: "NAME", value: (v) => `${v.first_name} ${v.last_name}` },
        { header: "ROLE", value: (v) => v.role },
        { header: "EXPIRES AT", value: (v) => v.expires_at },
        ...(server ? [{ header: "SERVER", value: () => server }] : []),
      ]);
    });
}

/** The error of a logout that removed the local token but could not do the rest. */
function locallyLoggedOut(error: unknown): unknown {
  if (!(error instanceof AppError) || error.code === "internal" || error instanceof NotAuthenticatedError) {
    return error;
  }
  return new AppError(error.code, `Removed the local token, but the session could not be ended: ${error.message}`, {
    field: error.field,
    cause: error,
  });
}
