import type { ChatOptions } from "../access/run-chat.js";
import type { CommandModule } from "../program.js";
import { parsePositiveInt } from "../program.js";

export const chatCommand: CommandModule = {
  register(program, action) {
    program
      .command("chat")
      .argument("[model]", "a registered model (default: the only one, or pick on a terminal)")
      .description(
        "chat with a model through LiteLLM (forward and key handled); --prompt or piped text answers once to stdout",
      )
      .option("--prompt <text>", "answer this once and exit (pipe-friendly)")
      .option("--system <text>", "system prompt")
      .option("--max-tokens <n>", "limit the answer's length", parsePositiveInt("--max-tokens"))
      .action(
        action<ChatOptions>(async (ctx, options, args) =>
          (await import("../access/run-chat.js")).runChat(ctx, args[0], options),
        ),
      );
  },
};
