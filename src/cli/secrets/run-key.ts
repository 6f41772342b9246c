import { readMasterKey, requireCluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";

/** Prints the LiteLLM master key and nothing else, for `curl -H "Authorization: Bearer $(aiplat key)"`. */
export async function runKey(ctx: CommandContext): Promise<void> {
  const cluster = await requireCluster(ctx, "Reading the LiteLLM master key");
  const key = await readMasterKey(ctx, cluster);
  ctx.io.result({ key }, key);
}
