import { ConfigError } from "../../core/errors.js";
import type { KubeAccess } from "./kube-access.js";

export interface KubeTargetOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/** How aiplat reached the cluster, for messages ("kubeconfig /x context y", "EKS cluster z"). */
export interface KubeTarget {
  config: KubeAccess;
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
      if (file !== undefined) {
        // Most kubeconfigs need nothing of the library (see plain-kubeconfig.ts): skip loading it.
        const { readPlainKubeconfig } = await import("./plain-kubeconfig.js");
        const plain = readPlainKubeconfig(file.split(":")[0]!, options.context);
        if (plain !== undefined)
          return { config: plain, description: `kubeconfig ${file}, context ${plain.getCurrentContext()}` };
      }
      const { KubeConfig } = await import("@kubernetes/client-node");
      const config = new KubeConfig();
      try {
        if (file !== undefined) config.loadFromFile(file.split(":")[0]!);
        else config.loadFromDefault();
      } catch (error) {
        throw new ConfigError(`Cannot read kubeconfig ${file ?? "(default)"}: ${(error as Error).message}`, {
          code: "bad-kubeconfig",
          hint: "Check --kubeconfig, or run `aiplat kubeconfig` to write one.",
          cause: error,
        });
      }
      if (options.context !== undefined) {
        if (!config.getContexts().some((c) => c.name === options.context)) {
          throw new ConfigError(`Context ${options.context} is not in the kubeconfig.`, {
            code: "bad-context",
            hint: `Known contexts: ${
              config
                .getContexts()
                .map((c) => c.name)
                .join(", ") || "none"
            }`,
          });
        }
        config.setCurrentContext(options.context);
      }
      const context = config.getCurrentContext();
      return { config, description: `kubeconfig ${file ?? "~/.kube/config"}, context ${context}` };
    },
  };
}
