import type { CommandModule } from "../program.js";

export const openCommand: CommandModule = {
  register(program, action) {
    program
      .command("open")
      .argument("<target>", "webui, langfuse, ray:<endpoint> or argocd")
      .description(
        "open a platform UI in the browser (forwarded until Ctrl-C; argocd: the managed ArgoCD URL); without a display, print the URL",
      )
      .action(
        action(async (ctx, _options, args) =>
          (await import("../access/run-open.js")).runOpen(ctx, args[0] ?? ""),
        ),
      );
  },
};
