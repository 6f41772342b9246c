import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";

/**
 * Client configuration for the test server. An http:// server needs skipTLSVerify, or
 * @kubernetes/client-node refuses before sending (TOOLCHAIN.md); kubectl ignores it for http.
 */
export const CONTEXT_NAME = "aiplat-test";

export function kubeconfigDocument(
  url: string,
  token?: string,
  namespace = "default",
): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: [{ name: CONTEXT_NAME, cluster: { server: url, "insecure-skip-tls-verify": true } }],
    users: [{ name: CONTEXT_NAME, user: token ? { token } : {} }],
    contexts: [{ name: CONTEXT_NAME, context: { cluster: CONTEXT_NAME, user: CONTEXT_NAME, namespace } }],
    "current-context": CONTEXT_NAME,
  };
}

/** Write a kubeconfig file (mode 0600: it may hold the token). */
export function writeKubeconfig(path: string, url: string, token?: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringify(kubeconfigDocument(url, token)), { mode: 0o600 });
}

/**
 * Loaded on first use (Node >= 20.19 can require ES modules): the standalone launcher never needs
 * it, and it is the slowest import of the server (~300 ms, seconds on a busy machine).
 */
function loadClient(): typeof import("@kubernetes/client-node") {
  return createRequire(import.meta.url)(
    "@kubernetes/client-node",
  ) as typeof import("@kubernetes/client-node");
}

export function toKubeConfig(url: string, token?: string): KubeConfig {
  const kc = new (loadClient().KubeConfig)();
  kc.loadFromOptions({
    clusters: [{ name: CONTEXT_NAME, server: url, skipTLSVerify: true }],
    users: [token ? { name: CONTEXT_NAME, token } : { name: CONTEXT_NAME }],
    contexts: [{ name: CONTEXT_NAME, cluster: CONTEXT_NAME, user: CONTEXT_NAME, namespace: "default" }],
    currentContext: CONTEXT_NAME,
  });
  return kc;
}
