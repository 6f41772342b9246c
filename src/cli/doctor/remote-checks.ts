import { reloginCommand } from "../../adapters/aws/profile.js";
import type { CheckResult } from "../../core/doctor/checks.js";
import { checkCredentials, fail, ok, skip, warn } from "../../core/doctor/checks.js";
import { withTimeout } from "../../core/timeout.js";
import { aiplatCommand } from "../carry-flags.js";
import type { CommandContext } from "../context.js";

const CLUSTER_TIMEOUT_MS = 10_000;

export async function checkAwsCredentials(
  ctx: CommandContext,
  region: string | undefined,
): Promise<CheckResult> {
  const profile = await ctx.adapters.awsProfile();
  const relogin = reloginCommand(profile);
  const { createAwsIdentity } = await import("../../adapters/aws/identity.js");
  const identity = createAwsIdentity(ctx.adapters.aws, region ?? profile.region);
  try {
    const who = await identity.callerIdentity();
    const expiresAt = await identity.credentialExpiry();
    return checkCredentials({ identity: who, expiresAt, now: ctx.clock.now(), relogin });
  } catch (error) {
    return checkCredentials({ error: (error as Error).message, now: ctx.clock.now(), relogin });
  }
}

/** Cluster reachability and the hf-token secret: skipped, with the reason, when there is no cluster yet. */
export async function checkCluster(ctx: CommandContext): Promise<CheckResult[]> {
  let target: Awaited<ReturnType<CommandContext["adapters"]["kube"]["connect"]>>;
  try {
    target = await ctx.adapters.kube.connect();
  } catch (error) {
    return [
      fail(
        "cluster",
        "Cluster",
        (error as Error).message,
        `Check --kubeconfig/--context, or run \`${aiplatCommand(ctx.globals, "kubeconfig")}\`.`,
      ),
    ];
  }
  if (target === undefined) {
    return [
      skip(
        "cluster",
        "Cluster",
        "no cluster connection yet (after `aiplat up`, or pass --kubeconfig/--context)",
      ),
      skip("hf-token", "HuggingFace token", "needs the cluster"),
    ];
  }
  const k8s = await import("@kubernetes/client-node");
  let version: string;
  let config: Awaited<ReturnType<typeof target.kubeConfig>>;
  try {
    config = await target.kubeConfig();
    const api = config.makeApiClient(k8s.VersionApi);
    version = (await withTimeout(api.getCode(), CLUSTER_TIMEOUT_MS, "The cluster")).gitVersion;
  } catch (error) {
    return [
      fail(
        "cluster",
        "Cluster",
        `unreachable through ${target.description}: ${describe(error)}`,
        `Check the cluster and your network, then \`${aiplatCommand(ctx.globals, "doctor")}\` again.`,
      ),
      skip("hf-token", "HuggingFace token", "needs the cluster"),
    ];
  }
  const cluster = ok("cluster", "Cluster", `Kubernetes ${version} through ${target.description}`);
  const core = config.makeApiClient(k8s.CoreV1Api);
  try {
    const secret = await withTimeout(
      core.readNamespacedSecret({ name: "hf-token", namespace: "inference" }),
      CLUSTER_TIMEOUT_MS,
      "The cluster",
    );
    const hasToken = Boolean(secret.data?.token ?? secret.stringData?.token);
    return [
      cluster,
      hasToken
        ? ok("hf-token", "HuggingFace token", "inference/hf-token is present")
        : warn("hf-token", "HuggingFace token", "inference/hf-token has no `token` key", hfTokenFix(ctx)),
    ];
  } catch (error) {
    if ((error as { code?: number }).code === 404) {
      return [
        cluster,
        warn(
          "hf-token",
          "HuggingFace token",
          "inference/hf-token is missing: gated models (Gemma, Llama) will not load",
          hfTokenFix(ctx),
        ),
      ];
    }
    return [
      cluster,
      fail(
        "hf-token",
        "HuggingFace token",
        `cannot read inference/hf-token: ${describe(error)}`,
        "Check your RBAC permissions in the inference namespace.",
      ),
    ];
  }
}

// aiplat's own command, not raw kubectl: it reads HF_TOKEN, the token init kept or a hidden prompt,
// so the token never lands on a command line where `ps` and shell history would keep it.
function hfTokenFix(ctx: CommandContext): string {
  return aiplatCommand(ctx.globals, "secret hf-token");
}

function describe(error: unknown): string {
  const e = error as { code?: number | string; message?: string; cause?: { code?: string } };
  if (typeof e.code === "number") return `HTTP ${e.code}`;
  return e.cause?.code ?? (typeof e.code === "string" ? e.code : (e.message ?? String(error)));
}
