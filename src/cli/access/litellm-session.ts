/**
 * LiteLLM as chat and smoke reach it: a forward to its Service on an ephemeral local port, the
 * master key read from the cluster (registered with the redactor at once, never printed), and a
 * client for the admin API. The key's source is named in a refusal.
 */
import type { PortForwardHandle } from "../../adapters/kube/port-forward.js";
import type { LitellmClient } from "../../adapters/llm/litellm.js";
import { PrerequisiteError, UsageError } from "../../core/errors.js";
import { type Cluster, LITELLM_NAMESPACE, readMasterKey, requireCluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { resolveTarget } from "./targets.js";

export const KEY_SOURCE = `${LITELLM_NAMESPACE}/litellm-secrets (master-key)`;

export interface LitellmSession {
  cluster: Cluster;
  baseUrl: string;
  apiKey: string;
  client: LitellmClient;
  forward: PortForwardHandle;
  close(): Promise<void>;
}

export async function openLitellmSession(ctx: CommandContext, forWhat: string): Promise<LitellmSession> {
  const cluster = await requireCluster(ctx, forWhat);
  const target = resolveTarget("litellm");
  // The key and the forward's Service lookup are independent round trips: in parallel.
  const opening = (async () => {
    const { startPortForward } = await import("../../adapters/kube/port-forward.js");
    return startPortForward(cluster.config, cluster.objects, target, {
      onError: (error) => ctx.io.debug(`forward litellm: ${error.message}`),
    });
  })();
  const [apiKey, forward, { createLitellmClient }] = await Promise.all([
    readMasterKey(ctx, cluster).catch(async (error: unknown) => {
      await opening.then((f) => f.close()).catch(() => undefined);
      throw error;
    }),
    opening,
    import("../../adapters/llm/litellm.js"),
  ]);
  ctx.io.debug(
    `LiteLLM reached through ${forward.url} (${target.namespace}/${target.service}:${target.port})`,
  );
  return {
    cluster,
    baseUrl: forward.url,
    apiKey,
    forward,
    client: createLitellmClient({
      baseUrl: forward.url,
      masterKey: apiKey,
      clock: ctx.clock,
      timeoutMs: 15_000,
    }),
    close: () => forward.close(),
  };
}

/** The registered model names, or an error saying how to get one. */
export async function registeredModels(session: LitellmSession, signal?: AbortSignal): Promise<string[]> {
  const models = await session.client.listModels(signal);
  if (models.length === 0) {
    throw new PrerequisiteError("No model is registered in LiteLLM yet.", {
      code: "no-models",
      hint: "Deploy one: `aiplat deploy-model <huggingface-id> --wait` (see `aiplat models`).",
    });
  }
  return models;
}

/** A model name the user typed that LiteLLM does not know: exit 2, listing the registered ones. */
export function unknownModel(name: string, models: readonly string[]): UsageError {
  return new UsageError(`LiteLLM has no model "${name}".`, {
    code: "unknown-model",
    hint: `Registered models: ${models.join(", ")}.`,
    details: { models: [...models] },
  });
}
