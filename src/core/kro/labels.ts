/**
 * The labels KRO puts on every child of an instance (kubernetes-sigs/kro pkg/metadata/labels.go):
 * they are how `kubectl get -l kro.run/instance-name=<name>` and KRO itself find an instance's
 * children (KRO sets no ownerReferences). The preview adds the ones it can know offline; the UIDs
 * (kro.run/instance-id, kro.run/resource-graph-definition-id) and kro.run/kro-version exist only
 * in a cluster.
 */
export interface KroLabelSource {
  rgdName: string;
  /** The instance's apiVersion, "group/version". */
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
}

/** The label naming the RGD resource (its id) a child was rendered from; KRO sets it on every child. */
export const KRO_NODE_ID_LABEL = "kro.run/node-id";

export function kroChildLabels(source: KroLabelSource): Record<string, string> {
  const slash = source.apiVersion.indexOf("/");
  return {
    "kro.run/owned": "true",
    "kro.run/instance-name": source.name,
    "kro.run/instance-namespace": source.namespace,
    // No slash (a core-group "v1"): slice(0, 0), the empty group.
    "kro.run/instance-group": source.apiVersion.slice(0, Math.max(slash, 0)),
    "kro.run/instance-version": source.apiVersion.slice(slash + 1),
    "kro.run/instance-kind": source.kind,
    "kro.run/resource-graph-definition-name": source.rgdName,
    "app.kubernetes.io/managed-by": "kro",
  };
}
