import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { langfuseSecretExtraKeys, langfuseSecretKeys } from "./support/manifests-checks.js";
import {
  dig,
  type KubeObject,
  listYamlFiles,
  loadManifests,
  readRepoFile,
} from "./support/manifests-load.js";

/** What the platform apps must look like for the rest of the platform to reach them. */

const litellm = loadManifests(listYamlFiles(["platform/apps/litellm"])).map((m) => m.object);
const find = (kind: string, name: string): KubeObject => {
  const found = litellm.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`platform/apps/litellm has no ${kind}/${name}`);
  return found;
};
const values = (app: string): unknown => parse(readRepoFile(`platform/apps/${app}/helm-values.yaml`));

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}

function containerEnv(workload: KubeObject): EnvVar[] {
  const containers = dig(workload, "spec", "template", "spec", "containers") as { env?: EnvVar[] }[];
  return containers.flatMap((c) => c.env ?? []);
}

/** Secrets that must exist before ArgoCD runs (made by Terraform; platform content contract). */
const contractSecrets: Record<string, string[]> = {
  "litellm-secrets": ["master-key", "postgres-password", "webui-key", "registration-key"],
  "langfuse-secrets": [...langfuseSecretKeys, ...langfuseSecretExtraKeys],
};

describe("LiteLLM (platform/apps/litellm)", () => {
  it("is reachable as litellm.ai-platform:4000", () => {
    const service = find("Service", "litellm");
    expect(service.metadata?.namespace).toBe("ai-platform");
    expect(dig(service, "spec", "ports", 0, "port")).toBe(4000);
    const deployment = find("Deployment", "litellm");
    expect(dig(service, "spec", "selector")).toEqual(dig(deployment, "spec", "selector", "matchLabels"));
  });

  it("stores models in its database (STORE_MODEL_IN_DB + DATABASE_URL), so /model/new survives restarts", () => {
    const env = find("ConfigMap", "litellm-env");
    expect(dig(env, "data", "STORE_MODEL_IN_DB")).toBe("True");
    const config = parse(String(dig(find("ConfigMap", "litellm-config"), "data", "config.yaml")));
    expect(dig(config, "general_settings", "store_model_in_db")).toBe(true);
    expect(dig(config, "general_settings", "database_url")).toBe("os.environ/DATABASE_URL");
    const url = containerEnv(find("Deployment", "litellm")).find((e) => e.name === "DATABASE_URL");
    expect(url?.value).toMatch(
      /^postgresql:\/\/\$\(DATABASE_USER\):\$\(DATABASE_PASSWORD\)@\$\(DATABASE_HOST\)\//,
    );
  });

  it("takes the master key from litellm-secrets and never holds a literal key", () => {
    const env = containerEnv(find("Deployment", "litellm"));
    const master = env.find((e) => e.name === "LITELLM_MASTER_KEY");
    expect(master?.valueFrom?.secretKeyRef).toEqual({ name: "litellm-secrets", key: "master-key" });
    expect(readRepoFile("platform/apps/litellm/deployment.yaml")).not.toMatch(/sk-[A-Za-z0-9]{8,}/);
  });

  it("defines every variable DATABASE_URL expands before it (kubelet expands only earlier ones)", () => {
    const deployment = find("Deployment", "litellm");
    const env = containerEnv(deployment);
    const fromConfigMap = Object.keys(dig(find("ConfigMap", "litellm-env"), "data") as object);
    const urlIndex = env.findIndex((e) => e.name === "DATABASE_URL");
    const earlier = new Set([...fromConfigMap, ...env.slice(0, urlIndex).map((e) => e.name)]);
    for (const [, name] of String(env[urlIndex]?.value).matchAll(/\$\(([A-Z_]+)\)/g)) {
      expect(earlier.has(String(name))).toBe(true);
    }
  });

  it("runs PostgreSQL on a persistent volume behind a Service", () => {
    const sts = find("StatefulSet", "litellm-postgres");
    expect(
      dig(sts, "spec", "volumeClaimTemplates", 0, "spec", "resources", "requests", "storage"),
    ).toBeDefined();
    expect(dig(find("Service", "litellm-postgres"), "spec", "ports", 0, "port")).toBe(5432);
    expect(String(dig(find("ConfigMap", "litellm-env"), "data", "DATABASE_HOST"))).toMatch(
      /^litellm-postgres\./,
    );
  });

  it("probes health endpoints that need no key and call no model", () => {
    const container = dig(find("Deployment", "litellm"), "spec", "template", "spec", "containers", 0);
    expect(dig(container, "readinessProbe", "httpGet", "path")).toBe("/health/readiness");
    expect(dig(container, "livenessProbe", "httpGet", "path")).toBe("/health/liveliness");
  });

  it("keeps serving through a drain: 2 replicas, a PDB selecting them with maxUnavailable 1", () => {
    const deployment = find("Deployment", "litellm");
    const pdb = find("PodDisruptionBudget", "litellm");
    expect(dig(deployment, "spec", "replicas")).toBeGreaterThanOrEqual(2);
    expect(dig(pdb, "spec", "maxUnavailable")).toBe(1);
    const podLabels = dig(deployment, "spec", "template", "metadata", "labels") as Record<string, string>;
    const selector = dig(pdb, "spec", "selector", "matchLabels") as Record<string, string>;
    expect(Object.keys(selector).length).toBeGreaterThan(0);
    for (const [k, val] of Object.entries(selector)) expect(podLabels[k]).toBe(val);
  });

  it("references only secrets that exist before ArgoCD runs (optional ones excepted)", () => {
    for (const workload of litellm.filter((o) => ["Deployment", "StatefulSet"].includes(o.kind))) {
      for (const e of containerEnv(workload)) {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref || ref.optional) continue;
        expect(contractSecrets[ref.name]).toContain(ref.key);
      }
    }
  });
});

describe("Open WebUI values", () => {
  const v = values("open-webui");

  it("talks to LiteLLM inside the cluster, with its scoped key from litellm-secrets (issue 17 point 12)", () => {
    expect(dig(v, "openaiBaseApiUrl")).toBe("http://litellm.ai-platform.svc.cluster.local:4000/v1");
    expect(dig(v, "openaiApiKey")).toBe("");
    const key = (dig(v, "extraEnvVars") as EnvVar[]).find((e) => e.name === "OPENAI_API_KEY");
    expect(key?.valueFrom?.secretKeyRef).toEqual({ name: "litellm-secrets", key: "webui-key" });
  });

  it("repeats no env variable the chart already sets (server-side apply rejects duplicates)", () => {
    const names = (dig(v, "extraEnvVars") as EnvVar[]).map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const chartSet of ["ENABLE_OLLAMA_API", "OPENAI_API_BASE_URL", "OPENAI_API_BASE_URLS"])
      expect(names).not.toContain(chartSet);
  });

  it("serves on open-webui:8080 and brings no Ollama (which would want a GPU of its own)", () => {
    expect(dig(v, "service", "port")).toBe(8080);
    expect(dig(v, "ollama", "enabled")).toBe(false);
    expect(dig(v, "pipelines", "enabled")).toBe(false);
  });
});

describe("GPU Operator and KubeRay values", () => {
  it("GPU operands tolerate the gpu-inference taint and leave the AMI's driver alone", () => {
    const v = values("gpu-operator");
    expect(dig(v, "daemonsets", "tolerations")).toContainEqual({
      key: "nvidia.com/gpu",
      operator: "Exists",
      effect: "NoSchedule",
    });
    expect(dig(v, "driver", "enabled")).toBe(false);
    expect(dig(v, "toolkit", "enabled")).toBe(false);
    expect(dig(v, "devicePlugin", "enabled")).toBe(true);
  });

  it("KubeRay watches all namespaces (endpoints live in inference)", () => {
    expect(dig(values("kuberay"), "singleNamespaceInstall")).toBe(false);
  });
});

// The file is part of the repository: a missing one fails here rather than skipping the checks.
describe("the secrets the apps reference are the ones Terraform makes", () => {
  const text = readRepoFile("terraform/30.eks/30.cluster/platform-secrets.tf");

  it("litellm-secrets carries master-key and its own URL-safe postgres-password (in DATABASE_URL)", () => {
    expect(text).toMatch(/name\s*=\s*"litellm-secrets"/);
    expect(text).toMatch(/"master-key"\s*=/);
    expect(text).toMatch(/"postgres-password"\s*=\s*random_password\.litellm_postgres\.result/);
    for (const name of ["litellm_master_key", "litellm_postgres"]) {
      const block = text.slice(text.indexOf(`resource "random_password" "${name}"`));
      expect(block.slice(0, block.indexOf("}"))).toMatch(/special\s*=\s*false/);
    }
  });

  it("langfuse-secrets carries every key the Langfuse values reference", () => {
    const match = /langfuse_secret_keys\s*=\s*toset\(\[([^\]]*)\]\)/.exec(text);
    const made = [...String(match?.[1]).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    const referenced = [
      ...readRepoFile("platform/apps/langfuse/helm-values.yaml").matchAll(
        /(?:key|Key|SecretKey|PasswordKey):\s*([a-z0-9-]+)\s*$/gm,
      ),
    ].map((m) => m[1]);
    expect(referenced.length).toBeGreaterThan(5);
    const missing = referenced.filter((k) => !made.includes(k));
    expect(
      missing,
      `langfuse-secrets lacks ${missing.join(", ")}: add them to local.langfuse_secret_keys in terraform/30.eks/30.cluster/platform-secrets.tf`,
    ).toEqual([]);
  });
});
