import { asArray, asRecord, blocksOf, type StageConfig } from "./terraform-load.js";

/** Checks of what 30.eks/30.cluster puts into the cluster (defects of the original platform). */

/** The single expression of an attribute value "${...}", or the literal string. */
export function exprOf(value: unknown): string {
  if (typeof value !== "string") return JSON.stringify(value);
  const m = /^\$\{([\s\S]*)\}$/.exec(value);
  return (m?.[1] ?? value).trim();
}

function dependsOn(body: Record<string, unknown>): string[] {
  return asArray(body.depends_on).map((d) => exprOf(d));
}

/**
 * Secrets whose namespace is not guaranteed to exist first: the namespace must come from a
 * namespace resource (a reference orders creation) or the secret must depend on one.
 */
export function findSecretsWithoutNamespaceFirst(stage: StageConfig): string[] {
  const problems: string[] = [];
  const namespaceCreators = [
    ...blocksOf(stage, "resource", "kubernetes_namespace_v1").map((b) => `kubernetes_namespace_v1.${b.name}`),
    ...blocksOf(stage, "resource", "kubectl_manifest")
      .filter((b) => /"?kind"?\s*=\s*"Namespace"/.test(exprOf(b.body.yaml_body)))
      .map((b) => `kubectl_manifest.${b.name}`),
  ];
  for (const { name, file, body } of blocksOf(stage, "resource", "kubernetes_secret_v1")) {
    const metadata = asRecord(asArray(body.metadata)[0]);
    const namespace = exprOf(metadata.namespace);
    const viaReference = namespaceCreators.some((c) => namespace.startsWith(c));
    const viaDependsOn = dependsOn(body).some((d) => namespaceCreators.includes(d));
    if (!viaReference && !viaDependsOn) {
      problems.push(
        `${file}: kubernetes_secret_v1.${name} goes into namespace ${namespace} without creating it first`,
      );
    }
  }
  return problems;
}

/** Renders a Terraform template that may only use simple ${name} placeholders. */
export function renderSimpleTemplate(text: string, vars: Record<string, string>): string {
  if (/%\{/.test(text)) throw new Error("template directives (%{...}) are not allowed");
  return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new Error(`only simple placeholders are allowed, found ${whole}`);
    const value = vars[name];
    if (value === undefined) throw new Error(`template uses \${${name}}, which templatefile() is not given`);
    return value;
  });
}

/** Placeholder names used by a template. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Za-z_]\w*)\}/g)].map((m) => m[1] ?? ""))].sort();
}

type Obj = Record<string, unknown>;

/** What the gpu-inference NodePool must be for KubeRay GPU workers and for the bill. */
export function checkGpuNodePool(pool: Obj, nodeClassNames: readonly string[]): string[] {
  const problems: string[] = [];
  const spec = asRecord(pool.spec);
  const template = asRecord(spec.template);
  const podSpec = asRecord(template.spec);
  const labels = asRecord(asRecord(template.metadata).labels);
  if (labels["workload-type"] !== "gpu-inference")
    problems.push("nodes lack the label workload-type=gpu-inference");
  const taints = asArray(podSpec.taints).map(asRecord);
  if (!taints.some((t) => t.key === "nvidia.com/gpu" && t.effect === "NoSchedule")) {
    problems.push("nodes lack the taint nvidia.com/gpu:NoSchedule (any pod could land on a GPU node)");
  }
  const families = asArray(podSpec.requirements)
    .map(asRecord)
    .filter((r) => r.key === "karpenter.k8s.aws/instance-family" && r.operator === "In")
    .flatMap((r) => asArray(r.values));
  for (const f of ["g5", "g6", "g6e"])
    if (!families.includes(f)) problems.push(`instance family ${f} is not allowed`);
  if (asRecord(spec.limits)["nvidia.com/gpu"] === undefined)
    problems.push("no limit on nvidia.com/gpu (unbounded GPU spend)");
  const disruption = asRecord(spec.disruption);
  if (!["WhenEmpty", "WhenEmptyOrUnderutilized"].includes(String(disruption.consolidationPolicy))) {
    problems.push("GPU nodes are not consolidated when empty");
  }
  if (typeof disruption.consolidateAfter !== "string") problems.push("consolidateAfter is not set");
  const ref = asRecord(podSpec.nodeClassRef);
  if (ref.kind !== "EC2NodeClass" || !nodeClassNames.includes(String(ref.name))) {
    problems.push(`nodeClassRef ${String(ref.name)} names no EC2NodeClass of the templates`);
  }
  return problems;
}

/** What every EC2NodeClass must be: AL2023 (NVIDIA variant on GPU types), discovered subnets/SGs. */
export function checkNodeClass(nodeClass: Obj, clusterName: string, roleName: string): string[] {
  const problems: string[] = [];
  const spec = asRecord(nodeClass.spec);
  const aliases = asArray(spec.amiSelectorTerms).map((t) => asRecord(t).alias);
  // A dated release only: al2023@latest drifts every node on each AMI release (issue 17).
  if (!aliases.every((a) => typeof a === "string" && /^al2023@v\d{8}$/.test(a)) || aliases.length === 0)
    problems.push(`amiSelectorTerms must pin a dated al2023 alias, not ${JSON.stringify(aliases)}`);
  if (spec.role !== roleName) problems.push("role is not the Karpenter node role");
  for (const key of ["subnetSelectorTerms", "securityGroupSelectorTerms"]) {
    const tags = asArray(spec[key]).map((t) => asRecord(asRecord(t).tags));
    if (!tags.some((t) => t["karpenter.sh/discovery"] === clusterName))
      problems.push(`${key} do not select karpenter.sh/discovery=<cluster>`);
  }
  return problems;
}
