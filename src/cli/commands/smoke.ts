import type { CommandModule } from "../program.js";

export const smokeCommand: CommandModule = {
  register(program, action) {
    program
      .command("smoke")
      .argument("[model...]", "models to test (default: every registered one)")
      .description(
        "prove the platform answers end to end: LiteLLM (with its database), Open WebUI, Langfuse, and a real completion (plain and streamed) per model; exit 0 only if all pass",
      )
      .action(
        action(async (ctx, _options, args) => (await import("../access/run-smoke.js")).runSmoke(ctx, args)),
      );
  },
};
