import { AiplatError, ExitCode, InterruptedError, UsageError } from "../core/errors.js";

export interface NormalizedError {
  error: AiplatError;
  /** Not an AiplatError: a bug in aiplat (exit 1), printed as such. */
  internal: boolean;
}

/** The one place that decides what an escaped error means for the user and the exit code. */
export function normalizeError(raw: unknown, aborted: boolean): NormalizedError {
  if (raw instanceof AiplatError) return { error: raw, internal: false };
  const name = (raw as { name?: string })?.name;
  const code = (raw as { code?: string })?.code;
  if (typeof code === "string" && code.startsWith("commander.")) {
    const message = ((raw as Error).message ?? "").replace(/^error:\s*/i, "").trim();
    return {
      error: new UsageError(message, {
        code: "usage",
        hint: "Run `aiplat --help` for the commands and options.",
      }),
      internal: false,
    };
  }
  // @inquirer/prompts throws ExitPromptError when the user presses Ctrl-C at a prompt.
  if (name === "ExitPromptError" || name === "AbortError" || name === "AbortPromptError" || aborted) {
    return { error: new InterruptedError("Interrupted; nothing further was done."), internal: false };
  }
  const message = raw instanceof Error ? raw.message : String(raw);
  const error = new AiplatError("internal", message, ExitCode.internal, {
    hint: "This is a bug in aiplat. Re-run with --debug for the stack trace and report it.",
    cause: raw,
  });
  return { error, internal: true };
}
