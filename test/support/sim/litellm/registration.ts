import type { JobOutcome } from "../kube/workloads.js";
import { isConditionTrue, type KubeObject, labelsOf, type Store, tryGet, tryList } from "../runtime/kube.js";
import type { BackendCheck, LiteLlmServer } from "./server.js";

/**
 * What the InferenceEndpoint's registration Job (platform/kro-definitions/inference-endpoint.yaml)
 * does when it runs: wait until `$SERVE_URL/models` answers and LiteLLM is ready, then register
 * MODEL_NAME unless a model of that name is registered already. The simulator runs this logic
 * instead of the container's shell script.
 */
function envOf(job: KubeObject): Record<string, string> {
  const spec = job.spec as
    | { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } }
    | undefined;
  const out: Record<string, string> = {};
  for (const e of spec?.template?.spec?.containers?.[0]?.env ?? [])
    if (e.value !== undefined) out[e.name] = e.value;
  return out;
}

export function isRegistrationJob(job: KubeObject): boolean {
  return labelsOf(job)["app.kubernetes.io/component"] === "litellm-registration";
}

/** `http://<name>-serve-svc.<ns>.svc.cluster.local:8000/v1` → the RayService behind it. */
export function rayServiceOf(apiBase: string | undefined): { name: string; namespace: string } | undefined {
  const m = /^https?:\/\/([a-z0-9-]+)-serve-svc\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?(?::\d+)?/.exec(
    apiBase ?? "",
  );
  return m ? { name: m[1] ?? "", namespace: m[2] ?? "" } : undefined;
}

/** A backend serves while its RayService is Ready and its serve Service exists. */
export function createBackendCheck(store: Store): BackendCheck {
  return (model) => {
    const target = rayServiceOf(model.litellm_params.api_base);
    if (!target)
      return { ok: false, message: `Connection error (${model.litellm_params.api_base ?? "no api_base"})` };
    const svc = tryGet(store, {
      apiVersion: "v1",
      kind: "Service",
      name: `${target.name}-serve-svc`,
      namespace: target.namespace,
    });
    const rs = tryGet(store, {
      apiVersion: "ray.io/v1",
      kind: "RayService",
      name: target.name,
      namespace: target.namespace,
    });
    if (!svc || !rs) return { ok: false, message: "Connection error." };
    if (!isConditionTrue(rs, "Ready")) return { ok: false, message: "Error code: 503 - no healthy replicas" };
    return { ok: true };
  };
}

export function createRegistrationRunner(store: Store, litellm: LiteLlmServer) {
  return (job: KubeObject): JobOutcome | undefined => {
    if (!isRegistrationJob(job)) return undefined;
    const env = envOf(job);
    const target = rayServiceOf(env.SERVE_URL);
    const rs =
      target &&
      tryGet(store, {
        apiVersion: "ray.io/v1",
        kind: "RayService",
        name: target.name,
        namespace: target.namespace,
      });
    if (!rs || !isConditionTrue(rs, "Ready")) return "running";
    // `until curl "$LITELLM_URL/health/readiness"`: LiteLLM answers once one of its pods is Ready.
    const litellmReady = tryList(store, "v1", "Pod", {
      namespace: "ai-platform",
      labelSelector: "app.kubernetes.io/name=litellm",
    }).some((p) => isConditionTrue(p, "Ready"));
    // curl -f fails on the 503 a LiteLLM without its database answers.
    if (!litellmReady || !litellm.databaseReachable()) return "running";
    if (!env.MODEL_NAME || !env.MODEL_ID || !env.SERVE_URL) return "failed";
    litellm.registerIfAbsent(env.MODEL_NAME, `openai/${env.MODEL_ID}`, env.SERVE_URL);
    return "succeeded";
  };
}
