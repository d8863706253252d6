/**
 * A `deno lint` plugin (run by `deno task check`): no sentence a person reads
 * is written in English inside the code, outside the catalogs of
 * `src/i18n/catalogs/` (issue 18). It reports:
 *
 * - in `src/cli/`: any string or template literal that reads as prose (two
 *   words of letters separated by a space), unless it is an import, a
 *   property key, the key given to `t`/`tIn`, or a line marked
 *   `// i18n-ignore: <why>` (machine output, a log line, a flag's syntax);
 * - in `src/services/`, `src/domain/`, `src/security/`, `src/db/`, `src/server/`, `src/config.ts`:
 *   the same, but only in the arguments of a `new …Error(…)` (their messages
 *   reach people).
 * @module
 */

const PROSE = /[A-Za-z]{2,}'?[a-z]* +[A-Za-z]{2,}/;
const CLI = /\/src\/cli\//;
const ERRORS_ONLY = /\/src\/(services|domain|security|db|server)\/|\/src\/config\.ts$/;
const TRANSLATORS = new Set(["t", "tIn"]);

type Node = Deno.lint.Node;

/** The node's parent (the Program has none). */
function parentOf(node: Node): Node | undefined {
  return (node as { parent?: Node }).parent;
}

function calleeName(node: Node): string | undefined {
  if (node.type !== "CallExpression" && node.type !== "NewExpression") return undefined;
  const callee = node.callee;
  if (callee.type === "Identifier") return callee.name;
  if (callee.type === "MemberExpression" && callee.property.type === "Identifier") return callee.property.name;
  return undefined;
}

/** Whether `node` sits where its text is not for people: an import, a key, a translation key. */
function exempt(node: Node): boolean {
  const parent = parentOf(node);
  if (!parent) return false;
  switch (parent.type) {
    case "ImportDeclaration":
    case "ExportNamedDeclaration":
    case "ExportAllDeclaration":
    case "ImportExpression":
    case "TSLiteralType":
    case "TSExternalModuleReference":
      return true;
    case "Property":
      return parent.key === node && !parent.computed;
    case "CallExpression":
      return TRANSLATORS.has(calleeName(parent) ?? "") && parent.arguments[0] === node;
  }
  return false;
}

/** Whether `node` is inside the arguments of a `new SomethingError(…)`. */
function inErrorConstruction(node: Node): boolean {
  for (let at = parentOf(node); at; at = parentOf(at)) {
    if (at.type === "NewExpression" && /Error$/.test(calleeName(at) ?? "")) return true;
    if (at.type === "CallExpression" && TRANSLATORS.has(calleeName(at) ?? "")) return false;
    if (at.type.endsWith("Statement") || at.type.endsWith("Declaration")) return false;
  }
  return false;
}

function textOf(node: Node): string | undefined {
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type === "TemplateLiteral") {
    // Deno's AST puts `cooked` on the element itself.
    return node.quasis.map((quasi) => (quasi as unknown as { cooked?: string; raw?: string }).cooked ?? "").join("{}");
  }
  return undefined;
}

const plugin: Deno.lint.Plugin = {
  name: "epic-events",
  rules: {
    "no-english-literal": {
      create(context) {
        const file = context.filename.replaceAll("\\", "/");
        const cli = CLI.test(file);
        const errorsOnly = !cli && ERRORS_ONLY.test(file);
        if (!cli && !errorsOnly) return {};
        const ignored = new Set<number>();
        const source = context.sourceCode.text;
        const lines = source.split("\n");
        lines.forEach((line, index) => {
          if (/\/\/ i18n-ignore\b/.test(line)) {
            ignored.add(index + 1);
            // A marker alone on its line covers the next line too.
            if (/^\s*\/\/ i18n-ignore\b/.test(line)) ignored.add(index + 2);
          }
        });
        const lineOf = (offset: number) => source.slice(0, offset).split("\n").length;
        const check = (node: Node) => {
          const text = textOf(node);
          if (text === undefined || !PROSE.test(text) || exempt(node)) return;
          if (errorsOnly && !inErrorConstruction(node)) return;
          if (ignored.has(lineOf(node.range[0]))) return;
          context.report({
            node,
            message: `English text for people outside the catalogs: ${JSON.stringify(text.slice(0, 60))}`,
            hint:
              "Put it in src/i18n/catalogs/{en,fr}/<namespace>.ts and use t(key); or mark the line `// i18n-ignore: why`.",
          });
        };
        return { Literal: check, TemplateLiteral: check };
      },
    },
  },
};

export default plugin;
