import type { CommandModule } from "../program.js";
import type { HfTokenOptions } from "../secrets/run-hf-token.js";

export const secretCommand: CommandModule = {
  register(program, action) {
    const secret = program.command("secret").description("store secrets the platform needs in the cluster");
    secret
      .command("hf-token")
      .description(
        "store the HuggingFace token as inference/hf-token (from --stdin, HF_TOKEN, the token `aiplat init` kept, or a hidden prompt; never from argv)",
      )
      .option("--stdin", "read the token from standard input")
      .action(
        action<HfTokenOptions>(async (ctx, options) =>
          (await import("../secrets/run-hf-token.js")).runHfToken(ctx, options),
        ),
      );
  },
};

export const keyCommand: CommandModule = {
  register(program, action) {
    program
      .command("key")
      .description("print the LiteLLM master key (and nothing else), for $(aiplat key)")
      .action(action(async (ctx) => (await import("../secrets/run-key.js")).runKey(ctx)));
  },
};
