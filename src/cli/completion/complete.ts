/**
 * What the shell should offer for the word being typed, given the words before it: subcommands,
 * options (the command's own and the global ones), option values with a known set, and names —
 * catalog models for deploy-model, declared endpoints (platform/workloads/*.yaml) for the
 * commands that act on one. Names come from the working copy only (no cluster, no network), so
 * a Tab press costs one Node start and a directory listing.
 */
import type { Command, Option } from "commander";

export interface CompletionSources {
  /** Catalog short names (templates/models.yaml). */
  catalogNames(): Promise<string[]>;
  /** Endpoints declared in git (platform/workloads/<name>.yaml). */
  endpointNames(): string[];
  /** Environments with a tfvars file (terraform/00.global/vars/<env>.tfvars). */
  environmentNames(): string[];
}

/** Commands whose first argument is an endpoint that already exists. */
const ENDPOINT_COMMANDS = new Set(["undeploy-model", "logs", "bench", "chat", "smoke", "scale"]);
const FORWARD_TARGETS = ["litellm", "webui", "langfuse", "argocd"];
const SHELLS = ["bash", "zsh", "fish"];
/** Values for options whose set is known but not declared with commander's .choices(). */
const OPTION_VALUES: Record<string, readonly string[]> = {
  "--gpus": ["1", "2", "4", "8"],
  "--instance-family": ["g5", "g6", "g6e"],
  "--component": ["head", "worker", "register"],
};

function findOption(commands: readonly Command[], flag: string): Option | undefined {
  const name = flag.includes("=") ? flag.slice(0, flag.indexOf("=")) : flag;
  for (const command of commands) {
    const found = command.options.find((o) => o.long === name || o.short === name);
    if (found) return found;
  }
  return undefined;
}

const takesValue = (option: Option | undefined) =>
  option !== undefined && (option.required || option.optional);

function visibleOptions(commands: readonly Command[]): string[] {
  const flags: string[] = [];
  for (const command of commands) {
    for (const option of command.options) {
      if (!option.hidden && option.long !== undefined) flags.push(option.long);
    }
  }
  flags.push("--help");
  return [...new Set(flags)];
}

/** Candidates for the last word of `words` (the one being typed, possibly ""), filtered by its prefix. */
export async function complete(
  program: Command,
  words: readonly string[],
  sources: CompletionSources,
): Promise<string[]> {
  const current = words.at(-1) ?? "";
  const before = words.slice(0, -1);
  const path: Command[] = [program];
  const operands: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const word = before[i]!;
    if (word.startsWith("-")) {
      if (!word.includes("=") && takesValue(findOption(path, word))) i++;
      continue;
    }
    const command = path.at(-1)!;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub !== undefined && operands.length === 0) path.push(sub);
    else operands.push(word);
  }
  const command = path.at(-1)!;
  const previous = before.at(-1);
  const byPrefix = (list: readonly string[]) =>
    [...new Set(list)].filter((c) => c.startsWith(current)).sort();

  if (previous?.startsWith("-") && !previous.includes("=")) {
    const option = findOption(path, previous);
    if (takesValue(option)) {
      if (option?.argChoices) return byPrefix(option.argChoices);
      if (option?.long === "--env") return byPrefix(sources.environmentNames());
      const known = option?.long === undefined ? undefined : OPTION_VALUES[option.long];
      // Files and free values (--kubeconfig, --timeout…): nothing, so the shell offers files.
      return known === undefined ? [] : byPrefix(known);
    }
  }
  if (current.startsWith("-")) return byPrefix(visibleOptions(path));
  const subcommands = command.commands.filter((c) => !(c as { _hidden?: boolean })._hidden);
  if (subcommands.length > 0 && operands.length === 0) {
    return byPrefix(subcommands.map((c) => c.name()).filter((n) => n !== "help"));
  }
  if (operands.length > 0 && command.name() !== "smoke") return [];
  const name = command.name();
  if (name === "deploy-model") {
    return byPrefix([...(await sources.catalogNames()), ...sources.endpointNames()]);
  }
  if (ENDPOINT_COMMANDS.has(name)) return byPrefix(sources.endpointNames());
  if (name === "forward" || name === "open") {
    return byPrefix([...FORWARD_TARGETS, ...sources.endpointNames().map((e) => `ray:${e}`)]);
  }
  if (name === "completion") return byPrefix(SHELLS);
  return [];
}
