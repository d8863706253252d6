/**
 * The commands every noun has — `show`, `create`, `update`, `delete` — made
 * from the entity's declaration and one call of the port, so that each
 * command's file says only what is its own (its port call, its words, its
 * examples). The result is a {@link Verb}: help, options' constructor, run.
 * @module
 */
import type { Command } from "@commander-js/extra-typings";
import { fieldMetaOf, PAGE } from "../../contract/meta.ts";
import { type ListOperation, OPERATIONS } from "../../contract/operations.ts";
import type { AnswerOf, Crm, InputOf, JsonListOperation, Paging } from "../../port/crm.ts";
import {
  addVerb,
  CRM_ENV,
  type FlagDef,
  isSet,
  type LoadDeps,
  outputFormat,
  TABLE_ENV,
  text,
  type Verb,
  type VerbInput,
} from "./verb.ts";
import { confirmAndDelete, type DeleteOptions, parseDelete, YES_FLAG } from "./delete.ts";
import {
  columns,
  completeFields,
  type Entity,
  fieldFlags,
  type FieldValues,
  flagOf,
  type PortEntity,
  readFields,
  updateValues,
} from "../entities/fields.ts";
import type { Format } from "../output/formats.ts";
import { LIST_FLAGS, type ListOptions, parseList, printList } from "../output/list.ts";
import { parseRecord, type RecordOptions, showRecord } from "../output/record.ts";
import { readChoice, readValue, type ValueKind, valueOf } from "../input/values.ts";
import { t } from "../../i18n/mod.ts";

/** Words and examples of one command: message keys. */
export interface About {
  summary: string;
  examples: string;
}

/** The `<id>` argument of a command about one `noun`: `client id`. */
export function idArg(noun: string): { name: string; help: string } {
  return { name: "id", help: `cli.arg.${noun}_id` };
}

/** `<noun> show ID`: prints the record the entity's `get` returns (its words: `cli.<noun>.show.*`). */
export function showVerb<R>(entity: PortEntity<R, unknown, unknown>): Verb<RecordOptions> {
  const detail = columns(entity, "detail");
  return {
    spec: {
      name: "show",
      summary: `cli.${entity.noun}.show.summary`,
      args: [idArg(entity.noun)],
      flags: [],
      examples: `cli.${entity.noun}.show.examples`,
      env: TABLE_ENV,
    },
    parse: parseRecord,
    run: async (options, deps) => {
      await showRecord(deps, detail, options.format, await entity.port.get(deps.crm, options.id));
    },
  };
}

/** Options of a `create`: the fields given as flags, and the output format. */
export interface CreateOptions<I> {
  fields: FieldValues<I>;
  format?: Format;
}

/** `<noun> create`: the entity's create flags, prompts for what is missing, prints the new record. */
export function createVerb<R, N, C>(entity: PortEntity<R, N, C>, about: About): Verb<CreateOptions<N>> {
  const detail = columns(entity, "detail");
  return {
    spec: { name: "create", ...about, flags: fieldFlags(entity, "create"), env: TABLE_ENV },
    parse: (input) => ({ fields: readFields<R, N>(entity, "create", input), format: outputFormat(input) }),
    run: async (options, deps) => {
      const input = await completeFields<R, N>(entity, options.fields, deps);
      await showRecord(deps, detail, options.format, await entity.port.create!(deps.crm, input));
    },
  };
}

/** Options of an `update`: the record's id, the fields given, the output format. */
export interface UpdateOptions<I> extends RecordOptions {
  fields: FieldValues<I>;
}

/** `<noun> update ID`: the entity's update flags; only the given fields change. */
export function updateVerb<R, N, C>(entity: PortEntity<R, N, C>, about: About): Verb<UpdateOptions<C>> {
  const detail = columns(entity, "detail");
  return {
    spec: {
      name: "update",
      ...about,
      args: [idArg(entity.noun)],
      flags: fieldFlags(entity, "update"),
      env: TABLE_ENV,
    },
    parse: (input) => ({ ...parseRecord(input), fields: readFields<R, C>(entity, "update", input) }),
    run: async (options, deps) => {
      const changes = updateValues(entity, options.fields, deps);
      await showRecord(deps, detail, options.format, await entity.port.update!(deps.crm, options.id, changes));
    },
  };
}

/** A filter flag of a list: a switch, or a value read as `kind` (dates in the local zone). */
export interface Filter {
  /** `--contract`: the key with dashes. */
  flag: string;
  /** The key it sets in the operation's input, and the field its errors name: `contract`. */
  key: string;
  /** Message key of its help: `cli.filter.<operation>.<key>` (the contract's description stays the API's). */
  help: string;
  /** Name of its value; none for a switch. */
  arg?: string;
  /** How its value is read (default: as typed). */
  kind?: ValueKind;
  /** The words it accepts (any case, plural too). */
  choices?: readonly string[];
}

/** The message key of the help of a filter (or flag) that sets `key` of `operation`. */
export function filterKey(operation: string, key: string): string {
  return `cli.filter.${operation}.${key}`;
}

/** The filters of a list operation: the keys of its query but the paging, as the contract describes them. */
export function filtersOf(operation: ListOperation): Filter[] {
  const shape = OPERATIONS[operation].query.shape;
  return Object.entries(shape).filter(([key]) => !(key in PAGE)).map(([key, schema]) => {
    const meta = fieldMetaOf(schema)?.filter ?? {};
    return {
      flag: flagOf(key),
      key,
      help: filterKey(operation, key),
      arg: meta.arg,
      kind: meta.kind,
      choices: meta.words,
    };
  });
}

/** Options of a list: paging, format, and the filters given. */
export interface ListVerbOptions<K extends ListOperation = ListOperation> extends ListOptions {
  /** The filters given, by key (the operation's input, without paging). */
  query: Partial<InputOf<K>>;
}

/** `<noun> list`: the filters of `operation`, paging and format, through the one list printer. */
export function listVerb<K extends ListOperation>(
  entity: Entity<AnswerOf<K>, unknown, unknown>,
  operation: K,
  about: About,
): Verb<ListVerbOptions<K>> {
  const view = columns(entity, "list");
  const filters = filtersOf(operation);
  return {
    spec: {
      name: "list",
      summary: about.summary,
      flags: [
        ...filters.map((f) => ({ flag: f.flag, arg: f.arg, help: f.help, field: f.key })),
        ...LIST_FLAGS,
      ],
      examples: about.examples,
      env: TABLE_ENV,
    },
    parse: (input) => {
      const query: Record<string, unknown> = {};
      for (const f of filters) {
        const typed = text(input, f.flag);
        if (f.arg === undefined) query[f.key] = isSet(input, f.flag);
        else if (typed === undefined || f.kind === "date") query[f.key] = typed;
        else if (f.choices) query[f.key] = valueOf(readChoice(typed, f.choices), f.flag, f.key);
        else query[f.key] = valueOf(readValue(f.kind ?? "text", typed), f.flag, f.key);
      }
      // The values were read by each filter's kind; the port checks them again.
      return { ...parseList(input), query: query as Partial<InputOf<K>> };
    },
    run: async (options, deps) => {
      const query: Record<string, unknown> = { ...options.query };
      for (const f of filters) {
        const typed = query[f.key];
        if (f.kind !== "date" || typeof typed !== "string") continue;
        query[f.key] = valueOf(readValue("date", typed, deps.clock.timeZone), f.flag, f.key);
      }
      // A list operation answers its rows (OutputOf<K> for a ListOperation, which TypeScript does not resolve here).
      const fetch = (page: Paging) =>
        deps.crm.call(operation, { ...query, ...page } as InputOf<K>) as Promise<AsyncIterable<AnswerOf<K>>>;
      // JSON as the database builds it, where the adapter offers it for this list (see Crm.listJson).
      const listJson = deps.crm.listJson?.bind(deps.crm);
      const fetchJson = listJson && isJsonList(operation)
        ? (page: Paging) =>
          listJson(operation, { ...query, ...page } as InputOf<typeof operation>) as Promise<
            AsyncIterable<Uint8Array | AnswerOf<K>> | undefined
          >
        : undefined;
      await printList(deps, view, options, fetch, fetchJson);
    },
  };
}

/** The lists a port may give as JSON text (see `Crm.listJson`). */
const JSON_LISTS: readonly string[] = ["listEvents", "listContracts", "listClients"] satisfies JsonListOperation[];

function isJsonList(operation: string): operation is JsonListOperation {
  return JSON_LISTS.includes(operation);
}

/** How one noun's delete differs from the others'. */
export interface DeleteSpec<O extends DeleteOptions, T> extends About {
  noun: string;
  /** Flags besides `--yes`. */
  flags: readonly FlagDef[];
  /** Reads those flags into the options. */
  options(input: VerbInput, base: DeleteOptions): O;
  /** The delete (`dryRun`: check only). */
  remove(crm: Crm, options: O, dryRun: boolean): Promise<T>;
  /**
   * What goes with it, as values of the messages `cli.<noun>.delete.ask_with`
   * and `.done_with` (`{ events: 2 }`); undefined (nothing goes with it):
   * `.ask` and `.done`.
   */
  consequences?(result: T): Readonly<Record<string, number>> | undefined;
}

/** `<noun> delete ID`: checks, then asks (on a terminal, without `--yes`), then deletes and says so. */
export function deleteVerb<O extends DeleteOptions, T>(spec: DeleteSpec<O, T>): Verb<O> {
  const { noun } = spec;
  return {
    spec: {
      name: "delete",
      summary: spec.summary,
      args: [idArg(noun)],
      flags: [...spec.flags, YES_FLAG],
      examples: spec.examples,
      env: CRM_ENV,
    },
    parse: (input) => spec.options(input, parseDelete(input)),
    run: (options, deps) =>
      confirmAndDelete(deps, options, {
        what: t(`cli.${noun}.delete.what`, { id: options.id }),
        remove: (dryRun) => spec.remove(deps.crm, options, dryRun),
        question: (d) => told(`cli.${noun}.delete.ask`, options.id, spec.consequences?.(d)),
        done: (d) => told(`cli.${noun}.delete.done`, options.id, spec.consequences?.(d)),
        json: (d) => ({ deleted: true, ...d }),
      }),
  };
}

/** The message `key` about record `id`, or `key_with` when something goes with it. */
function told(key: string, id: number, more: Readonly<Record<string, number>> | undefined): string {
  return more ? t(`${key}_with`, { id, ...more }) : t(key, { id });
}

/** Adds a noun and its verbs to `program`. */
export function addNoun(
  program: Command,
  noun: { name: string; description: string },
  // deno-lint-ignore no-explicit-any
  verbs: readonly Verb<any>[],
  deps: LoadDeps,
): void {
  const command = program.command(noun.name).description(t(noun.description));
  for (const verb of verbs) addVerb(command, verb, deps);
}
