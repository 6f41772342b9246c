import { join } from "node:path";
import type { AwsClientFactory } from "../../adapters/aws/clients.js";
import { createKubeconfigConnector, type KubeConnector } from "../../adapters/kube/connect.js";
import { createEksConnector } from "../../adapters/kube/eks-connector.js";
import type { Redactor } from "../../core/redact.js";
import { clusterCachePath, readCachedClusterAccess } from "./cluster-cache.js";

export interface ClusterConnectorOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  processEnv: Readonly<Record<string, string | undefined>>;
  aws: AwsClientFactory;
  /** Repository root, when there is one (the cluster outputs live in its .aiplat/). */
  root: string | undefined;
  env: string;
  redactor: Redactor;
}

/**
 * --kubeconfig/--context/KUBECONFIG win; otherwise the environment's EKS cluster is reached
 * directly from the cached cluster outputs with an in-process EKS token (CLI.md, global options).
 */
export function createClusterConnector(options: ClusterConnectorOptions): KubeConnector {
  if (options.kubeconfig !== undefined || options.context !== undefined || options.processEnv.KUBECONFIG) {
    return createKubeconfigConnector({
      kubeconfig: options.kubeconfig,
      context: options.context,
      env: options.processEnv,
    });
  }
  return createEksConnector({
    aws: options.aws,
    env: options.env,
    registerSecret: (secret) => options.redactor.add(secret),
    readClusterAccess: async () =>
      options.root === undefined
        ? undefined
        : readCachedClusterAccess(clusterCachePath(join(options.root, ".aiplat"), options.env)),
  });
}
