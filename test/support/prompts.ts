import type { Choice, Prompter } from "../../src/ui/io-host.js";

/** One scripted answer; a function answers from the question's choices (e.g. pick by name). */
export type ScriptedAnswer =
  | string
  | boolean
  | string[]
  | ((choices: ReadonlyArray<Choice<unknown>>) => unknown);

export interface AskedQuestion {
  kind: "input" | "confirm" | "select" | "checkbox" | "password";
  flag: string;
  message: string;
  /** Validation messages shown for rejected answers before an accepted one. */
  rejected: string[];
}

/**
 * A prompter that answers from a queue in order, applying the question's own validation like the
 * real prompt does: an invalid answer is recorded and the next answer in the queue is tried.
 */
export function scriptedPrompter(answers: ScriptedAnswer[]): Prompter & { asked: AskedQuestion[] } {
  const queue = [...answers];
  const asked: AskedQuestion[] = [];
  const next = (kind: AskedQuestion["kind"], flag: string, message: string): ScriptedAnswer => {
    if (queue.length === 0)
      throw new Error(`scriptedPrompter: no answer left for ${kind} ${flag} (${message})`);
    return queue.shift()!;
  };
  const validated = (
    kind: AskedQuestion["kind"],
    q: {
      flag: string;
      message: string;
      default?: string | undefined;
      validate?: ((v: string) => true | string) | undefined;
    },
  ): string => {
    const record: AskedQuestion = { kind, flag: q.flag, message: q.message, rejected: [] };
    asked.push(record);
    for (;;) {
      const raw = next(kind, q.flag, q.message);
      const value = raw === "" && q.default !== undefined ? q.default : String(raw);
      const verdict = q.validate ? q.validate(value) : true;
      if (verdict === true) return value;
      record.rejected.push(verdict);
    }
  };
  return {
    asked,
    input: async (q) => validated("input", q),
    password: async (q) => validated("password", q),
    confirm: async (q) => {
      asked.push({ kind: "confirm", flag: q.flag, message: q.message, rejected: [] });
      const raw = next("confirm", q.flag, q.message);
      return raw === "" ? (q.default ?? false) : Boolean(raw);
    },
    select: async <T>(q: { flag: string; message: string; choices: ReadonlyArray<Choice<T>> }) => {
      asked.push({ kind: "select", flag: q.flag, message: q.message, rejected: [] });
      const raw = next("select", q.flag, q.message);
      if (typeof raw === "function") return raw(q.choices as ReadonlyArray<Choice<unknown>>) as T;
      const choice = q.choices.find((c) => c.name === raw || String(c.value) === raw);
      if (!choice) throw new Error(`scriptedPrompter: ${String(raw)} is not a choice of ${q.flag}`);
      return choice.value;
    },
    checkbox: async <T>(q: { flag: string; message: string; choices: ReadonlyArray<Choice<T>> }) => {
      asked.push({ kind: "checkbox", flag: q.flag, message: q.message, rejected: [] });
      const raw = next("checkbox", q.flag, q.message);
      if (typeof raw === "function") return raw(q.choices as ReadonlyArray<Choice<unknown>>) as T[];
      const names = Array.isArray(raw) ? raw : [String(raw)];
      return q.choices
        .filter((c) => names.includes(c.name) || names.includes(String(c.value)))
        .map((c) => c.value);
    },
  };
}
