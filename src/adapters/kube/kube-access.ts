import type { KubeConfig } from "@kubernetes/client-node";

/**
 * What aiplat needs of a kubeconfig: where the API server is and how to authenticate a request to
 * it. @kubernetes/client-node's KubeConfig is one; plain-kubeconfig.ts is another that does not
 * load the library (whose config module pulls in every generated API model: ~5 × `node -e 0`).
 */
export type KubeAccess = Pick<
  KubeConfig,
  "getCurrentCluster" | "getCurrentContext" | "getContexts" | "applyToHTTPSOptions"
>;

/** The library's KubeConfig for what needs its API clients (doctor): the one given, or reloaded. */
export async function fullKubeConfig(access: KubeAccess): Promise<KubeConfig> {
  const { KubeConfig } = await import("@kubernetes/client-node");
  if (access instanceof KubeConfig) return access;
  const source = (access as { source?: { file: string; context: string } }).source;
  if (source === undefined) throw new Error("this cluster connection has no kubeconfig file to reload");
  const config = new KubeConfig();
  config.loadFromFile(source.file);
  config.setCurrentContext(source.context);
  return config;
}
