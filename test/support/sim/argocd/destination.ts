import { type Store, tryList } from "../runtime/kube.js";
import type { AppSpec } from "./desired.js";

/**
 * The destination must be a registered cluster: a Secret in `argocd` labelled
 * `argocd.argoproj.io/secret-type: cluster` whose `name` (destination.name) or `server`
 * (destination.server) matches. The managed EKS ArgoCD capability does not know
 * `https://kubernetes.default.svc`: the local cluster is registered by its ARN (PLATFORM.md; AWS EKS
 * capability docs), which Terraform does as the `local-cluster` secret.
 */
export class InvalidSpecError extends Error {}

export function checkDestination(store: Store, app: string, spec: AppSpec): void {
  const dest = spec.destination ?? {};
  const clusters = tryList(store, "v1", "Secret", {
    namespace: "argocd",
    labelSelector: "argocd.argoproj.io/secret-type=cluster",
  }).map((secret) => {
    const data = (secret.data ?? {}) as Record<string, string>;
    const decode = (v: string | undefined) => (v ? Buffer.from(v, "base64").toString("utf8") : undefined);
    return { name: decode(data.name), server: decode(data.server) };
  });
  const found = dest.name
    ? clusters.some((c) => c.name === dest.name)
    : clusters.some((c) => c.server === dest.server);
  if (!found) {
    const what = dest.name
      ? `there are no clusters with this name: ${dest.name}`
      : `cluster ${dest.server ?? "(none)"} has not been configured`;
    throw new InvalidSpecError(
      `application destination spec for ${app} is invalid: unable to find destination server: ${what}`,
    );
  }
}
