import { UsageError } from "../core/errors.js";
import type { Prompter } from "./io-host.js";

/**
 * Used with --json, --yes or without a TTY: asking is an error that names the flag which supplies
 * the value, never a hang waiting on stdin.
 */
export function createNonInteractivePrompter(reason: string): Prompter {
  const refuse = (flag: string, message: string): never => {
    throw new UsageError(`Missing value for ${flag} (${message.replace(/[?:]\s*$/, "")}); ${reason}.`, {
      code: "missing-value",
      hint: `Pass ${flag} on the command line.`,
      details: { flags: [flag] },
    });
  };
  return {
    input: async (q) => refuse(q.flag, q.message),
    confirm: async (q) => refuse(q.flag, q.message),
    select: async (q) => refuse(q.flag, q.message),
    checkbox: async (q) => refuse(q.flag, q.message),
    password: async (q) => refuse(q.flag, q.message),
  };
}
