import type { KubeConfig } from "@kubernetes/client-node";
import { ConfigError } from "../../core/errors.js";
import type { KubeClientConfig } from "./client-config.js";

export interface KubeTargetOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/** How aiplat reached the cluster, for messages ("kubeconfig /x context y", "EKS cluster z"). */
export interface KubeTarget {
  config: KubeClientConfig;
  /** The same access as client-node's KubeConfig, for its generated API clients (doctor). */
  kubeConfig(): Promise<KubeConfig>;
  description: string;
}

/**
 * A way to reach the environment's cluster. The explicit path (--kubeconfig/--context/KUBECONFIG)
 * is implemented here; the EKS path (no kubeconfig: cluster outputs + presigned STS token) plugs in
 * as another connector.
 */
export interface KubeConnector {
  /** undefined when no way to reach a cluster is configured yet (say so; do not fail strangely). */
  connect(): Promise<KubeTarget | undefined>;
}

export function createKubeconfigConnector(options: KubeTargetOptions): KubeConnector {
  return {
    async connect() {
      const file = options.kubeconfig ?? options.env.KUBECONFIG;
      if (file === undefined && options.context === undefined) return undefined;
      const path = file?.split(":")[0];
      const description = (context: string) => `kubeconfig ${file ?? "~/.kube/config"}, context ${context}`;
      const full = () => loadKubeConfig(path, file, options.context);
      if (path !== undefined) {
        // Common kubeconfigs are read without client-node; the rest (exec plugins…) with it.
        const { readSimpleKubeconfig } = await import("./kubeconfig-read.js");
        const simple = await readSimpleKubeconfig(path, options.context);
        if (simple)
          return { config: simple.config, kubeConfig: full, description: description(simple.context) };
      }
      const config = await full();
      return { config, kubeConfig: async () => config, description: description(config.getCurrentContext()) };
    },
  };
}

/**
 * Why a kubeconfig could not be loaded, without its content: the YAML parser's message quotes the
 * lines around the error, and the file may be anything (a secret) a flag was pointed at.
 */
function unreadable(error: unknown): string {
  const e = error as { code?: string; reason?: string; mark?: { line?: number }; message?: string };
  if (e.code) return e.code;
  if (e.reason !== undefined)
    return `not valid YAML (${e.reason}${e.mark?.line === undefined ? "" : `, line ${e.mark.line + 1}`})`;
  return (e.message ?? String(error)).split("\n")[0] ?? "unreadable";
}

async function loadKubeConfig(
  path: string | undefined,
  file: string | undefined,
  context: string | undefined,
): Promise<KubeConfig> {
  const { KubeConfig } = await import("@kubernetes/client-node");
  const config = new KubeConfig();
  try {
    if (path !== undefined) config.loadFromFile(path);
    else config.loadFromDefault();
  } catch (error) {
    throw new ConfigError(`Cannot read kubeconfig ${file ?? "(default)"}: ${unreadable(error)}`, {
      code: "bad-kubeconfig",
      hint: "Check --kubeconfig, or run `aiplat kubeconfig` to write one.",
      // No cause: its message quotes the file, and --debug prints causes.
    });
  }
  // Any YAML (even /etc/passwd) loads as an empty config; without a context it reaches nothing.
  if (config.getContexts().length === 0) {
    throw new ConfigError(`${file ?? "~/.kube/config"} is not a usable kubeconfig: it has no contexts.`, {
      code: "bad-kubeconfig",
      hint: "Check --kubeconfig, or run `aiplat kubeconfig` to write one.",
    });
  }
  if (context !== undefined) {
    if (!config.getContexts().some((c) => c.name === context)) {
      throw new ConfigError(`Context ${context} is not in the kubeconfig.`, {
        code: "bad-context",
        hint: `Known contexts: ${
          config
            .getContexts()
            .map((c) => c.name)
            .join(", ") || "none"
        }`,
      });
    }
    config.setCurrentContext(context);
  }
  return config;
}
