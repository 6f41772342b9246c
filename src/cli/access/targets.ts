/**
 * What `aiplat forward|open|chat|smoke` can reach, read from the platform's own manifests (the
 * ones shipped with aiplat and synced by ArgoCD), so a renamed Service or port changes one file:
 * - litellm: platform/apps/litellm/service.yaml (name, namespace, port);
 * - webui: argocd/open-webui.yaml (release name = the chart's Service name, namespace) and
 *   platform/apps/open-webui/helm-values.yaml (service.port);
 * - langfuse: argocd/langfuse.yaml (release; the chart names its web Service `<release>-web`) and
 *   platform/apps/langfuse/helm-values.yaml (langfuse.web.service.port, else the chart's 3000);
 * - ray:<endpoint>: KubeRay's `<endpoint>-head-svc` and the head container port named
 *   `dashboard` in platform/kro-definitions/inference-endpoint.yaml.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { ENDPOINT_NAMESPACE } from "../../core/endpoint/endpoint-spec.js";
import { UsageError } from "../../core/errors.js";

export interface ForwardTarget {
  /** As the user types it: litellm, webui, langfuse, ray:<endpoint>. */
  name: string;
  namespace: string;
  service: string;
  port: number;
  /** What the URL is for, printed next to it. */
  title: string;
}

export const TARGET_NAMES = ["litellm", "webui", "langfuse", "ray:<endpoint>"] as const;

/** langfuse-k8s 1.x values.yaml: langfuse.web.service.port defaults to 3000. */
const LANGFUSE_CHART_WEB_PORT = 3000;

const packageFile = (path: string): string =>
  readFileSync(new URL(`../../../${path}`, import.meta.url), "utf8");

type Doc = Record<string, unknown>;
const yamlOf = (path: string): Doc => (parse(packageFile(path)) ?? {}) as Doc;

function at(doc: unknown, ...keys: string[]): unknown {
  let value = doc;
  for (const key of keys) value = (value as Doc | undefined)?.[key];
  return value;
}

/** The Helm release name and destination namespace of an ArgoCD Application. */
function helmApp(file: string): { release: string; namespace: string } {
  const app = yamlOf(file);
  const sources = (at(app, "spec", "sources") as Doc[] | undefined) ?? [at(app, "spec", "source") as Doc];
  const chart = sources.find((s) => s && typeof s.chart === "string");
  return {
    release: String(at(chart, "helm", "releaseName") ?? chart?.chart),
    namespace: String(at(app, "spec", "destination", "namespace")),
  };
}

function findNamedPort(node: unknown, name: string): number | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = findNamedPort(item, name);
      if (found !== undefined) return found;
    }
  } else if (node && typeof node === "object") {
    const o = node as Doc;
    if (o.name === name && typeof o.containerPort === "number") return o.containerPort;
    for (const value of Object.values(o)) {
      const found = findNamedPort(value, name);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function litellm(): ForwardTarget {
  const svc = yamlOf("platform/apps/litellm/service.yaml");
  return {
    name: "litellm",
    namespace: String(at(svc, "metadata", "namespace")),
    service: String(at(svc, "metadata", "name")),
    port: Number((at(svc, "spec", "ports") as Doc[])[0]?.port),
    title: "LiteLLM (OpenAI-compatible API)",
  };
}

function webui(): ForwardTarget {
  const { release, namespace } = helmApp("argocd/open-webui.yaml");
  const values = yamlOf("platform/apps/open-webui/helm-values.yaml");
  return {
    name: "webui",
    namespace,
    service: release,
    port: Number(at(values, "service", "port") ?? 80),
    title: "Open WebUI",
  };
}

function langfuse(): ForwardTarget {
  const { release, namespace } = helmApp("argocd/langfuse.yaml");
  const values = yamlOf("platform/apps/langfuse/helm-values.yaml");
  return {
    name: "langfuse",
    namespace,
    service: `${release}-web`,
    port: Number(at(values, "langfuse", "web", "service", "port") ?? LANGFUSE_CHART_WEB_PORT),
    title: "Langfuse",
  };
}

function ray(endpoint: string): ForwardTarget {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(endpoint)) {
    throw new UsageError(`"${endpoint}" is not an endpoint name (ray:<endpoint>, e.g. ray:gemma-4b).`, {
      code: "bad-target",
      hint: "List endpoints with `aiplat models`.",
    });
  }
  const rgd = parse(packageFile("platform/kro-definitions/inference-endpoint.yaml"));
  return {
    name: `ray:${endpoint}`,
    namespace: ENDPOINT_NAMESPACE,
    service: `${endpoint}-head-svc`,
    port: findNamedPort(rgd, "dashboard") ?? 8265,
    title: `Ray dashboard of ${endpoint}`,
  };
}

/** The target a user named, or a UsageError listing the ones there are. */
export function resolveTarget(name: string): ForwardTarget {
  if (name === "litellm") return litellm();
  if (name === "webui") return webui();
  if (name === "langfuse") return langfuse();
  if (name.startsWith("ray:")) return ray(name.slice(4));
  throw new UsageError(`Unknown target "${name}".`, {
    code: "bad-target",
    hint: `Targets: ${TARGET_NAMES.join(", ")}.`,
  });
}
