import type { PlatformStatus } from "../../core/status/types.js";
import { tryConnect } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { readCluster } from "./read-cluster.js";
import { readInfrastructure } from "./read-infrastructure.js";
import { readClusterSections } from "./read-platform.js";

/** Every section at once; the sources are independent, so they are read in parallel. */
export async function collectStatus(ctx: CommandContext): Promise<PlatformStatus> {
  const [infrastructure, cluster, inCluster] = await Promise.all([
    readInfrastructure(ctx),
    readCluster(ctx),
    tryConnect(ctx, { reportUnreachable: true }).then((access) =>
      readClusterSections(ctx, access.cluster, access.cluster ? undefined : access.reason),
    ),
  ]);
  return { infrastructure, cluster, ...inCluster };
}
