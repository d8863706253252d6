/**
 * Unit tests of commands without a database: parse a command line into a
 * command's options (through commander, as the program does), and run a
 * command against a fake {@link Crm} with in-memory streams and scripted
 * answers to prompts.
 * @module
 */
import { Command, Option } from "@commander-js/extra-typings";
import { addVerb, type Choice, type Deps, type Prompter, type Validate, type Verb } from "../../src/cli/verbs/verb.ts";
import { type TestIo, testIo } from "./io.ts";
import { InvalidInputError } from "../../src/domain/errors.ts";
import type { Crm, InputOf, OutputOf, PortOperation } from "../../src/port/crm.ts";

/**
 * Parses `argv` (the words after the noun, e.g. `["3", "--total", "10"]`)
 * with `verb` the way the program does, global `--json`/`--format` included,
 * and returns its options without running it.
 */
export async function parseArgs<O, D = Deps>(verb: Verb<O, D>, argv: readonly string[]): Promise<O> {
  let parsed: O | undefined;
  const program = new Command().name("epic-events").exitOverride().configureOutput({
    writeOut: () => {},
    writeErr: () => {},
    outputError: () => {},
  })
    .option("--json")
    .addOption(new Option("--format <format>"));
  const noun = program.command("noun");
  const capture: Verb<O, D> = {
    spec: verb.spec,
    parse: verb.parse,
    run: (options) => {
      parsed = options;
      return Promise.resolve();
    },
  };
  addVerb(noun as unknown as Command, capture, () => ({}) as D);
  await program.parseAsync(["noun", verb.spec.name, ...argv], { from: "user" });
  if (parsed === undefined) throw new Error("the command did not run");
  return parsed;
}

/** One call made to the fake port. */
export interface Call {
  method: string;
  args: unknown[];
}

/** What a fake port does: session methods by name, and operations by name, each taking its input object. */
export type FakeMethods =
  & Partial<Omit<Crm, "call">>
  & { [K in PortOperation]?: (input: InputOf<K>) => OutputOf<K> | Promise<OutputOf<K>> };

/**
 * A fake port: the given methods, every call recorded (an operation as
 * `{ method: name, args: [input] }`, as a method of its name); any other
 * method or operation throws.
 */
export function fakeCrm(methods: FakeMethods): Crm & { calls: Call[] } {
  const calls: Call[] = [];
  const run = (name: string, args: unknown[]) => {
    calls.push({ method: name, args });
    const method = (methods as Record<string, (...args: unknown[]) => unknown>)[name];
    if (!method) throw new Error(`fake Crm: ${name} was not expected`);
    return method(...args);
  };
  return new Proxy({ calls } as unknown as Crm & { calls: Call[] }, {
    get(target, property) {
      if (property === "calls") return calls;
      if (typeof property !== "string") return Reflect.get(target, property);
      if (property === "call") return async (name: string, input: unknown) => await run(name, [input]);
      // An optional method of the port is absent unless the test gives it (the remote adapter has no listJson).
      if (property === "listJson" && !(property in methods)) return undefined;
      return (...args: unknown[]) => run(property, args);
    },
  });
}

/** Rows as the port returns them. */
export async function* rows<T>(...items: T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** What a scripted user types at each prompt, in order. */
export type Answer = string | number | boolean;

/** A prompter answering from a script; refused answers are kept with the reason (and the next one is typed). */
export function scriptedPrompter(
  answers: Answer[],
  options: { interactive?: boolean; stdin?: string } = {},
): Prompter & { asked: string[]; refused: Array<{ label: string; answer: string; reason: string }> } {
  const asked: string[] = [];
  const refused: Array<{ label: string; answer: string; reason: string }> = [];
  const interactive = options.interactive ?? true;
  const next = (label: string): Answer => {
    asked.push(label);
    if (!interactive) throw new InvalidInputError(`${label}: missing (no terminal to ask on)`);
    if (answers.length === 0) throw new Error(`no scripted answer left for "${label}"`);
    return answers.shift()!;
  };
  const typed = (label: string, validate?: Validate): string => {
    for (;;) {
      const answer = String(next(label));
      const verdict = validate ? validate(answer) : true;
      if (verdict === true) return answer;
      refused.push({ label, answer, reason: verdict });
    }
  };
  return {
    asked,
    refused,
    interactive,
    text: (label, o = {}) => Promise.resolve(typed(label, o.validate)),
    select: <T>(label: string, choices: readonly Choice<T>[]) => {
      const answer = next(label);
      const choice = choices.find((c) => c.value === answer || c.name === answer);
      if (!choice) throw new Error(`"${answer}" is not a choice of "${label}": ${JSON.stringify(choices)}`);
      return Promise.resolve(choice.value);
    },
    confirm: (message) => Promise.resolve(next(message) === true),
    password: (o) => {
      if (o.fromStdin) return Promise.resolve((options.stdin ?? "").replace(/\r?\n$/, ""));
      return Promise.resolve(typed(o.label ?? "Password", o.validate));
    },
  };
}

/** Dependencies of a run under test. */
export interface TestDeps extends Deps {
  io: TestIo;
  crm: Crm & { calls: Call[] };
  prompter: ReturnType<typeof scriptedPrompter>;
}

/** Dependencies with `crm`, in-memory streams (a terminal with `terminal`), a fixed clock in `timeZone`. */
export function testDeps(
  crm: Crm & { calls: Call[] },
  options: { terminal?: boolean; answers?: Answer[]; stdin?: string; timeZone?: string; env?: Record<string, string> } =
    {},
): TestDeps {
  return {
    io: testIo({ terminal: options.terminal, stdin: options.stdin, env: { NO_COLOR: "1", ...options.env } }),
    crm,
    clock: { now: () => new Date("2027-01-01T00:00:00Z"), timeZone: options.timeZone ?? "UTC" },
    prompter: scriptedPrompter(options.answers ?? [], { interactive: options.terminal ?? false, stdin: options.stdin }),
  };
}
