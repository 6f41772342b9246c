/**
 * Reaching the cluster for deploy-model, undeploy-model and models: optional for a plain deploy
 * (warnings only), required for --wait. The LiteLLM master key is read from the cluster and
 * registered with the redactor before anything else can print it.
 */
import type { KubeClientConfig } from "../adapters/kube/client-config.js";
import type { KubeObjects } from "../adapters/kube/objects.js";
import type { PortForwardHandle } from "../adapters/kube/port-forward.js";
import type { LitellmClient } from "../adapters/llm/litellm.js";
import {
  type AiplatError,
  ConfigError,
  ExternalError,
  isAiplatError,
  PrerequisiteError,
} from "../core/errors.js";
import { withTimeout } from "../core/timeout.js";
import { aiplatCommand } from "./carry-flags.js";
import type { CommandContext } from "./context.js";

export const PROBE_TIMEOUT_MS = 8_000;
export const LITELLM_NAMESPACE = "ai-platform";
export const LITELLM_SERVICE = "litellm";
export const LITELLM_PORT = 4000;

export interface Cluster {
  config: KubeClientConfig;
  objects: KubeObjects;
  description: string;
}

export type ClusterAccess =
  | { cluster: Cluster }
  | {
      cluster: undefined;
      reason: string;
      /** The API server answered, with an error (e.g. 500): a failing API, not an unreachable one. */
      apiFailure?: AiplatError | undefined;
    };

export interface TryConnectOptions {
  /**
   * `aiplat status` reports an unreachable cluster as a section of its screen (and exits 5): it
   * passes true so that a --kubeconfig/--context whose server does not answer is reported there,
   * not thrown. Every other command refuses to go on without the cluster the user named.
   */
  reportUnreachable?: boolean;
}

/**
 * The cluster if one is configured and answers; otherwise why not (never throws for "absent").
 * An explicit --kubeconfig/--context that cannot be used is an error: unreadable or a wrong
 * context (exit 3), a server that does not answer (exit 4), one that answers with errors (exit 5).
 */
export async function tryConnect(
  ctx: CommandContext,
  options: TryConnectOptions = {},
): Promise<ClusterAccess> {
  let target: Awaited<ReturnType<CommandContext["adapters"]["kube"]["connect"]>>;
  try {
    target = await ctx.adapters.kube.connect();
  } catch (error) {
    // A --kubeconfig/--context the user gave that cannot be used is their mistake to hear about,
    // not a reason to carry on "from git only" or to skip the gated-model token check.
    const explicit = explicitClusterFlags(ctx);
    if (explicit !== undefined) {
      throw new ConfigError(`${explicit} cannot be used: ${(error as Error).message}`, {
        code: "bad-kubeconfig",
        hint: "Fix the path or context name, or leave both out to reach the environment's EKS cluster directly.",
        cause: error,
      });
    }
    return { cluster: undefined, reason: (error as Error).message };
  }
  if (!target) return { cluster: undefined, reason: "cluster not configured (pass --kubeconfig/--context)" };
  const { createKubeObjects } = await import("../adapters/kube/objects.js");
  const objects = createKubeObjects(target.config);
  try {
    await withTimeout(objects.get("v1", "Namespace", "inference"), PROBE_TIMEOUT_MS, "The cluster");
  } catch (error) {
    const access: ClusterAccess =
      isAiplatError(error) && error.code === "kube-api"
        ? {
            cluster: undefined,
            reason: `the cluster's API server (${target.description}) answered with an error: ${error.message}`,
            apiFailure: error,
          }
        : {
            cluster: undefined,
            reason: `cluster unreachable through ${target.description}: ${(error as Error).message}`,
          };
    const explicit = explicitClusterFlags(ctx);
    if (explicit !== undefined && !options.reportUnreachable)
      throw unusableExplicitCluster(ctx, explicit, access);
    return access;
  }
  return { cluster: { config: target.config, objects, description: target.description } };
}

/** The named cluster does not answer (exit 4), or answers with errors (exit 5, as requireCluster). */
function unusableExplicitCluster(
  ctx: CommandContext,
  explicit: string,
  access: ClusterAccess & { cluster: undefined },
): AiplatError {
  const message = `${explicit} cannot be used: ${access.reason}.`;
  if (access.apiFailure) {
    return new ExternalError(message, {
      code: "kube-api",
      hint: "The API server is reachable but failing: look at the cluster's health, or leave out the flag(s) to use the environment's cluster.",
      details: access.apiFailure.details,
    });
  }
  return new PrerequisiteError(message, {
    code: "cluster-unreachable",
    hint: `Check the network/VPN and that the cluster is up (\`${aiplatCommand(ctx.globals, "doctor")}\`), or leave out the flag(s) to use the environment's cluster.`,
  });
}

/** Whether the user named a cluster (--kubeconfig/--context): then it must work, even where optional. */
export function namesCluster(ctx: CommandContext): boolean {
  return explicitClusterFlags(ctx) !== undefined;
}

function explicitClusterFlags(ctx: CommandContext): string | undefined {
  const flags: string[] = [];
  if (ctx.globals.kubeconfig !== undefined) flags.push(`--kubeconfig ${ctx.globals.kubeconfig}`);
  if (ctx.globals.context !== undefined) flags.push(`--context ${ctx.globals.context}`);
  return flags.length === 0 ? undefined : flags.join(" ");
}

export async function requireCluster(ctx: CommandContext, forWhat: string): Promise<Cluster> {
  const access = await tryConnect(ctx);
  if (access.cluster) return access.cluster;
  if (access.apiFailure) {
    throw new ExternalError(`${forWhat} needs the cluster, but ${access.reason}.`, {
      code: "kube-api",
      hint: "The API server is reachable but failing: look at the cluster's health (EKS console, control plane logs) and run `aiplat doctor`.",
      details: access.apiFailure.details,
    });
  }
  throw new PrerequisiteError(`${forWhat} needs the cluster: ${access.reason}.`, {
    code: "cluster-unreachable",
    hint: "Check access with `aiplat doctor` (or pass --kubeconfig/--context).",
  });
}

export async function hasHfToken(cluster: Cluster): Promise<boolean> {
  const secret = await cluster.objects.get<{
    data?: Record<string, string>;
    stringData?: Record<string, string>;
  }>("v1", "Secret", "hf-token", "inference");
  return Boolean(secret?.data?.token ?? secret?.stringData?.token);
}

/** ai-platform/litellm-secrets{master-key}, registered with the redactor at once. */
export async function readMasterKey(ctx: CommandContext, cluster: Cluster): Promise<string> {
  const secret = await cluster.objects.get<{ data?: Record<string, string> }>(
    "v1",
    "Secret",
    "litellm-secrets",
    LITELLM_NAMESPACE,
  );
  const encoded = secret?.data?.["master-key"];
  if (!encoded) {
    throw new PrerequisiteError(`The secret ${LITELLM_NAMESPACE}/litellm-secrets has no master-key.`, {
      code: "litellm-key-missing",
      hint: "It is created by the 30.cluster Terraform stage: run `aiplat up --from 30.eks/30.cluster`.",
    });
  }
  const key = Buffer.from(encoded, "base64").toString("utf8");
  ctx.redactor.add(key);
  return key;
}

export interface LitellmAccess {
  client: LitellmClient;
  /** The forwarded base URL (for endpoints the client does not wrap, e.g. /health/readiness). */
  url: string;
  close(): Promise<void>;
}

/** A LiteLLM client through a port-forward to litellm:4000 (nothing listens on the user's side). */
export async function openLitellm(ctx: CommandContext, cluster: Cluster): Promise<LitellmAccess> {
  const masterKey = await readMasterKey(ctx, cluster);
  const [{ startPortForward }, { createLitellmClient }] = await Promise.all([
    import("../adapters/kube/port-forward.js"),
    import("../adapters/llm/litellm.js"),
  ]);
  const forward: PortForwardHandle = await startPortForward(
    cluster.config,
    cluster.objects,
    { namespace: LITELLM_NAMESPACE, service: LITELLM_SERVICE, port: LITELLM_PORT },
    { onError: (error) => ctx.io.debug(`port-forward: ${error.message}`) },
  );
  ctx.io.debug(
    `LiteLLM reached through ${forward.url} (port-forward to ${LITELLM_NAMESPACE}/${LITELLM_SERVICE})`,
  );
  return {
    client: createLitellmClient({ baseUrl: forward.url, masterKey, clock: ctx.clock, timeoutMs: 15_000 }),
    url: forward.url,
    close: () => forward.close(),
  };
}
