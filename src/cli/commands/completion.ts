import type { Command } from "commander";
import { UsageError } from "../../core/errors.js";
import type { CommandContext } from "../context.js";
import type { CommandModule } from "../program.js";

// Declares the commands only; the completion code is imported when one runs (fast `aiplat --help`).
export const completionCommand: CommandModule = {
  register(program, action) {
    program
      .command("completion")
      .description("print shell completion (bash, zsh or fish), with endpoint and catalog names")
      .argument("<shell>", "bash, zsh or fish")
      .addHelpText(
        "after",
        "\nLoad it: source <(aiplat completion bash) · source <(aiplat completion zsh) · aiplat completion fish | source",
      )
      .action(action((ctx, _options, args) => printScript(ctx, args[0] ?? "")));
    // What the scripts call on each Tab press: one candidate a line.
    program
      .command("__complete", { hidden: true })
      .argument("[words...]")
      .action(action((ctx, _options, args) => printCandidates(ctx, program, args)));
  },
};

async function printScript(ctx: CommandContext, shell: string): Promise<void> {
  const { SHELLS, completionScript } = await import("../completion/scripts.js");
  const known = SHELLS.find((s) => s === shell);
  if (known === undefined) {
    throw new UsageError(`No completion for shell ${JSON.stringify(shell)}: choose bash, zsh or fish.`, {
      code: "invalid-input",
      hint: "Run `aiplat completion bash` (or zsh, fish).",
    });
  }
  ctx.io.result({ shell: known, script: completionScript(known) }, completionScript(known).trimEnd());
}

async function printCandidates(ctx: CommandContext, program: Command, args: string[]): Promise<void> {
  const words = args;
  const [{ complete }, { repositorySources, rootFromWords }, { findRepositoryRoot }] = await Promise.all([
    import("../completion/complete.js"),
    import("../completion/sources.js"),
    import("../../adapters/workspace.js"),
  ]);
  let root: string | undefined;
  try {
    root = findRepositoryRoot(ctx.cwd, rootFromWords(ctx, words));
  } catch {
    root = undefined;
  }
  const candidates = await complete(program, words.length === 0 ? [""] : words, repositorySources(root));
  ctx.io.result({ candidates }, candidates.join("\n"));
}
