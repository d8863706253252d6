/**
 * Reading a JSON array as it arrives: each element is parsed and yielded as
 * soon as its text is complete, so a long list is never held whole. The
 * array's formatting does not matter (any whitespace, one row per line or
 * not); brackets and commas inside strings are text.
 * @module
 */

/** The text ended or broke before the array was complete, or is not a JSON array. */
export class BrokenArrayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BrokenArrayError";
  }
}

const WHITESPACE = /\s/;

/**
 * Yields the elements of the JSON array whose text comes in `chunks`.
 *
 * @throws {BrokenArrayError} when the text is not an array, ends before its
 * closing `]`, or has anything but whitespace after it
 */
export async function* parseJsonArray(chunks: AsyncIterable<string>): AsyncGenerator<unknown> {
  let opened = false;
  let closed = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** Text of the element being read. */
  let element = "";
  /** Elements read so far. */
  let count = 0;
  const take = (): unknown => {
    const text = element.trim();
    element = "";
    count++;
    if (text === "") throw new BrokenArrayError("an empty element in the array");
    try {
      return JSON.parse(text);
    } catch {
      throw new BrokenArrayError("an element of the array is not valid JSON");
    }
  };
  for await (const chunk of chunks) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (closed) {
        if (!WHITESPACE.test(c)) throw new BrokenArrayError("text after the end of the array");
        continue;
      }
      if (!opened) {
        if (WHITESPACE.test(c)) continue;
        if (c !== "[") throw new BrokenArrayError("the answer is not a JSON array");
        opened = true;
        depth = 1;
        from = i + 1;
        continue;
      }
      if (inString) {
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") {
        depth--;
        if (depth === 0) {
          element += chunk.slice(from, i);
          from = i + 1;
          closed = true;
          if (element.trim() !== "" || count > 0) yield take();
        }
      } else if (c === "," && depth === 1) {
        element += chunk.slice(from, i);
        from = i + 1;
        yield take();
      }
    }
    if (opened && !closed) element += chunk.slice(from);
  }
  if (!closed) throw new BrokenArrayError("the answer ended before the end of the array");
}
