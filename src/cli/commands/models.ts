import type { CommandContext } from "../context.js";
import type { CommandModule } from "../program.js";

interface ModelsOptions {
  catalog?: boolean;
}

export const modelsCommand: CommandModule = {
  register(program, action) {
    program
      .command("models")
      .description("list endpoints: model, GPUs, replicas, state, ready, registered in LiteLLM, age")
      .option(
        "--catalog",
        "list the model catalog instead: parameters, GPUs needed, context, gated, approximate $/h",
      )
      .action(action<ModelsOptions>(runModels));
  },
};

async function runModels(ctx: CommandContext, options: ModelsOptions): Promise<void> {
  if (options.catalog) {
    const [{ readCatalog }, { catalogRows, formatCatalog }, { PRICE_NOTE }] = await Promise.all([
      import("../deploy/platform-files.js"),
      import("../../core/catalog/listing.js"),
      import("../../core/fit/gpu-types.js"),
    ]);
    const rows = catalogRows(await readCatalog(ctx.root()));
    ctx.io.result({ catalog: rows, priceNote: PRICE_NOTE }, formatCatalog(rows, PRICE_NOTE));
    return;
  }
  const { formatModelTable, listModels } = await import("../deploy/list-models.js");
  const list = await listModels(ctx);
  ctx.io.result({ ...list }, formatModelTable(list, ctx.clock.now()));
}
