/**
 * The answers a prompt offers to pick from, by the source the contract names
 * for a field (`choices` in its metadata): collaborators of a role, the
 * roles, a collaborator's clients, signed contracts.
 * @module
 */
import type { ChoiceSource } from "../../contract/meta.ts";
import { ROLES } from "../../domain/roles.ts";
import type { Crm, Me } from "../../port/crm.ts";
import type { Choice } from "../verbs/verb.ts";
import { roleName } from "../output/print.ts";

/** Collaborators with `role`: `First Last <email>`. */
function users(role: "SALES" | "SUPPORT"): (crm: Crm) => Promise<Choice<number>[]> {
  return async (crm) => {
    const choices: Choice<number>[] = [];
    for await (const u of await crm.call("listUsers", { role })) {
      choices.push({ name: `${u.first_name} ${u.last_name} <${u.email}>`, value: u.id });
    }
    return choices;
  };
}

/** Clients a contract may be created for: a SALES collaborator's own, anyone's for MANAGEMENT. */
async function clients(crm: Crm, me: Me): Promise<Choice<number>[]> {
  const choices: Choice<number>[] = [];
  for await (const c of await crm.call("listClients", { mine: me.role === "SALES" })) {
    choices.push({ name: `${c.full_name} (${c.company_name})`, value: c.id });
  }
  return choices;
}

/** Signed contracts an event may be created for (a SALES collaborator's own). */
async function signedContracts(crm: Crm, me: Me): Promise<Choice<number>[]> {
  const choices: Choice<number>[] = [];
  for await (const c of await crm.call("listContracts", { mine: me.role === "SALES" })) {
    if (c.signed_status) choices.push({ name: `#${c.id} ${c.display?.client_name ?? ""}`.trim(), value: c.id });
  }
  return choices;
}

/** The choices of each source. */
export const CHOICES: Readonly<Record<ChoiceSource, (crm: Crm, me: Me) => Promise<Choice<string | number>[]>>> = {
  sales: users("SALES"),
  support: users("SUPPORT"),
  // Named in the reader's language (Gestion, Commercial, Support); the value stays the role.
  roles: () => Promise.resolve(ROLES.map((role) => ({ name: roleName(role), value: role }))),
  clients,
  signed_contracts: signedContracts,
};
