import type { Command } from "commander";
import { AiplatError, ExitCode, InterruptedError, UsageError } from "../core/errors.js";

export interface NormalizedError {
  error: AiplatError;
  /** Not an AiplatError: a bug in aiplat (exit 1), printed as such. */
  internal: boolean;
}

/**
 * Commands CLI.md promises that this version does not have yet. An unknown command with one of
 * these names says so instead of "unknown command"; a name drops out of the message by itself
 * once a module registers it (the check below only runs for names commander did not know).
 */
export const plannedCommands: readonly string[] = [
  "status",
  "destroy",
  "smoke",
  "logs",
  "bench",
  "forward",
  "open",
  "chat",
];

/** The shell as normalizeError needs it: the parsed program and the arguments it was given. */
export interface ShellInfo {
  program: Command;
  argv: readonly string[];
}

/** The command the argv names, walking subcommands by their operands ("secret" → `aiplat secret`). */
function commandNamedBy(shell: ShellInfo): Command {
  let command = shell.program;
  for (const token of shell.argv) {
    if (token.startsWith("-")) continue;
    const sub = command.commands.find((c) => c.name() === token || c.aliases().includes(token));
    if (sub !== undefined) command = sub;
  }
  return command;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

/** Commander's own errors, reworded so no internal text such as "(outputHelp)" reaches the user. */
function commanderError(raw: { code: string; message?: string }, shell: ShellInfo | undefined): UsageError {
  const message = (raw.message ?? "").replace(/^error:\s*/i, "").trim();
  const generalHint = "Run `aiplat --help` for the commands and options.";
  if (raw.code === "commander.help" && shell !== undefined) {
    // A command group run without its subcommand: commander printed the group's help and threw.
    const group = commandNamedBy(shell);
    const path = commandPath(group);
    const subs = group.commands.map((c) => c.name()).filter((n) => n !== "help");
    return new UsageError(`\`${path}\` needs a subcommand: ${subs.join(", ")}.`, {
      code: "missing-subcommand",
      hint: `Run \`${path} --help\` for what each one does.`,
    });
  }
  if (raw.code === "commander.help") {
    return new UsageError("A subcommand is missing.", { code: "missing-subcommand", hint: generalHint });
  }
  const unknown = /^unknown command '([^']+)'/.exec(message)?.[1];
  if (raw.code === "commander.unknownCommand" && unknown !== undefined && plannedCommands.includes(unknown)) {
    const available = shell?.program.commands.map((c) => c.name()).filter((n) => n !== "help") ?? [];
    return new UsageError(`\`aiplat ${unknown}\` is planned but not in this version of aiplat yet.`, {
      code: "not-yet-available",
      hint: `This version has: ${available.join(", ")}. Run \`aiplat --help\` for what each does.`,
    });
  }
  return new UsageError(message, { code: "usage", hint: generalHint });
}

/** The one place that decides what an escaped error means for the user and the exit code. */
export function normalizeError(raw: unknown, aborted: boolean, shell?: ShellInfo): NormalizedError {
  if (raw instanceof AiplatError) return { error: raw, internal: false };
  const name = (raw as { name?: string })?.name;
  const code = (raw as { code?: string })?.code;
  if (typeof code === "string" && code.startsWith("commander.")) {
    return { error: commanderError(raw as { code: string; message?: string }, shell), internal: false };
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
