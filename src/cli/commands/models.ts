import type { CommandContext } from "../context.js";
import type { CommandModule } from "../program.js";

export const modelsCommand: CommandModule = {
  register(program, action) {
    program
      .command("models")
      .description("list endpoints: model, GPUs, replicas, state, ready, registered in LiteLLM, age")
      .action(action(runModels));
  },
};

async function runModels(ctx: CommandContext): Promise<void> {
  const { formatModelTable, listModels } = await import("../deploy/list-models.js");
  const list = await listModels(ctx);
  ctx.io.result({ ...list }, formatModelTable(list, ctx.clock.now()));
}
