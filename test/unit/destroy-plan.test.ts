import { describe, expect, it } from "vitest";
import {
  hourlyCost,
  madeBy,
  toLeftover,
  totalHourly,
  unexpectedLeftovers,
} from "../../src/core/destroy/leftovers.js";
import { buildDestroyPlan, type DestroyFacts } from "../../src/core/destroy/plan.js";

const facts = (over: Partial<DestroyFacts> = {}): DestroyFacts => ({
  env: "dev",
  clusterName: "fx-dev",
  cluster: {
    reachable: true,
    description: "kubeconfig x",
    applications: ["argocd/litellm", "argocd/workloads"],
    autoSync: ["argocd/workloads"],
    endpoints: ["inference/gemma-4b"],
    loadBalancerServices: ["inference/public"],
    ingresses: [],
    nodePools: ["gpu-inference", "default"],
    nodeClaims: ["gpu-inference-abcde"],
    persistentVolumeClaims: ["ai-platform/data-langfuse-postgresql-0"],
  },
  stages: [
    { path: "10.networking", backend: "local", resources: 3 },
    { path: "30.eks/30.cluster", backend: "local", resources: 2 },
    { path: "20.iam-roles-for-eks", backend: "local", resources: 1 },
  ],
  cloud: [],
  ...over,
});
const none = { keepInfra: false, keepBackend: false, sweep: false };

describe("destroy plan", () => {
  it("orders the in-cluster steps before the stages, the stages in reverse apply order, the scan and report last", () => {
    const plan = buildDestroyPlan(facts(), none);
    expect(plan.steps.map((s) => s.id)).toEqual([
      "preflight",
      "stop-gitops",
      "endpoints",
      "load-balancers",
      "node-pools",
      "applications",
      "stage:30.eks/30.cluster",
      "stage:20.iam-roles-for-eks",
      "stage:10.networking",
      "leftovers",
      "report",
    ]);
    const step = (id: string) => plan.steps.find((s) => s.id === id);
    expect(step("stop-gitops")?.actsOn).toEqual(["Application argocd/workloads"]);
    expect(step("endpoints")?.actsOn).toEqual(["InferenceEndpoint inference/gemma-4b"]);
    expect(step("load-balancers")?.actsOn).toEqual(["Service inference/public"]);
    expect(step("node-pools")?.actsOn).toEqual(["NodePool gpu-inference", "NodePool default"]);
    expect(step("applications")?.actsOn).toContain(
      "PersistentVolumeClaim ai-platform/data-langfuse-postgresql-0",
    );
    for (const s of plan.steps) expect(s.evidence).not.toBe("");
  });

  it("--keep-infra skips every stage and the bucket; an unreachable cluster skips the in-cluster steps only", () => {
    const keep = buildDestroyPlan(facts({ stateBucket: "tfstate-1" }), { ...none, keepInfra: true });
    expect(
      keep.steps.filter((s) => s.kind === "stage" || s.kind === "state-backend").every((s) => s.skip),
    ).toBe(true);
    expect(keep.steps.find((s) => s.id === "leftovers")?.skip).toBeUndefined();
    const backend = buildDestroyPlan(facts({ stateBucket: "tfstate-1" }), { ...none, keepBackend: true });
    expect(backend.steps.find((s) => s.id === "state-backend")?.skip).toContain("--keep-backend");
    expect(backend.steps.at(-3)?.id).toBe("state-backend");
    const shared = buildDestroyPlan(
      facts({ stateBucket: "tfstate-1", stateBucketSharedWith: ["prod", "staging"] }),
      none,
    );
    expect(shared.steps.find((s) => s.id === "state-backend")?.skip).toBe(
      "the bucket also holds the state of prod, staging, which still records resources: kept, with its KMS key",
    );
    const alone = buildDestroyPlan(facts({ stateBucket: "tfstate-1", stateBucketSharedWith: [] }), none);
    expect(alone.steps.find((s) => s.id === "state-backend")?.actsOn).toEqual([
      "S3 bucket tfstate-1",
      "KMS key alias/aiplat-tfstate: deletion scheduled (AWS waits 7 days at least; not billed meanwhile), alias deleted",
    ]);
    const offline = buildDestroyPlan(
      facts({ cluster: { reachable: false, reason: "connection refused" } }),
      none,
    );
    for (const id of ["stop-gitops", "endpoints", "load-balancers", "node-pools", "applications"])
      expect(offline.steps.find((s) => s.id === id)?.skip).toContain("connection refused");
    expect(offline.steps.find((s) => s.id === "stage:10.networking")?.skip).toBeUndefined();
  });
});

describe("leftovers", () => {
  it("knows who made a resource from its tags, and what it costs per hour", () => {
    expect(madeBy({ "karpenter.sh/nodepool": "gpu-inference" })).toBe("karpenter");
    expect(madeBy({ "elbv2.k8s.aws/cluster": "fx-dev" })).toBe("aws-load-balancer-controller");
    expect(madeBy({ "kubernetes.io/created-for/pvc/name": "data" })).toBe("ebs-csi-driver");
    expect(madeBy({ "managed-by": "terraform" })).toBe("terraform");
    expect(hourlyCost({ kind: "instance", id: "i-1", type: "g5.xlarge", state: "running", tags: {} })).toBe(
      1.006,
    );
    expect(hourlyCost({ kind: "instance", id: "i-2", type: "x9.huge", state: "running", tags: {} })).toBe(1);
    expect(hourlyCost({ kind: "volume", id: "v", sizeGiB: 100, tags: {} })).toBe(0.011);
    expect(hourlyCost({ kind: "eni", id: "e", tags: {} })).toBe(0);
  });

  it("prices the state bucket's KMS key at $1/month until its deletion is scheduled, and knows aiplat made it", () => {
    const key = toLeftover({ kind: "kms-key", id: "k-1", state: "Enabled", tags: {} });
    expect(key.hourlyCost).toBe(0.0014);
    expect(key.madeBy).toBe("aiplat-up");
    expect(hourlyCost({ kind: "kms-key", id: "k-1", state: "PendingDeletion", tags: {} })).toBe(0);
    // --keep-infra keeps the Terraform state, and so its bucket and key.
    expect(unexpectedLeftovers([key], true)).toEqual([]);
  });

  it("--keep-infra counts only what the in-cluster controllers made", () => {
    const items = [
      toLeftover({
        kind: "instance",
        id: "i-k",
        type: "g5.xlarge",
        state: "running",
        tags: { "karpenter.sh/nodepool": "g" },
      }),
      toLeftover({ kind: "nat-gateway", id: "nat-1", tags: { "managed-by": "terraform" } }),
    ];
    expect(unexpectedLeftovers(items, true).map((l) => l.id)).toEqual(["i-k"]);
    expect(unexpectedLeftovers(items, false).map((l) => l.id)).toEqual(["i-k", "nat-1"]);
    expect(totalHourly(items)).toBe(1.051);
  });
});
