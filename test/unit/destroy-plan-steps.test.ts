import { describe, expect, it } from "vitest";
import { toLeftover } from "../../src/core/destroy/leftovers.js";
import { buildDestroyPlan, type DestroyFacts, type DestroyStep } from "../../src/core/destroy/plan.js";

// The plan `aiplat destroy` prints before it asks for confirmation (PLATFORM.md "Teardown order that
// works"): each step's kind, title and what it acts on are what the user reads and confirms.

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
    ingresses: ["ai-platform/langfuse"],
    nodePools: ["gpu-inference"],
    nodeClaims: [],
    persistentVolumeClaims: ["ai-platform/data-langfuse-postgresql-0"],
  },
  stages: [
    { path: "10.networking", backend: "local", resources: 0 },
    { path: "20.iam-roles-for-eks", backend: "local", resources: undefined },
    { path: "30.eks/30.cluster", backend: "local", resources: 12 },
  ],
  cloud: [],
  ...over,
});
const none = { keepInfra: false, keepBackend: false, sweep: false };
const byId = (steps: DestroyStep[], id: string) => steps.find((s) => s.id === id);

describe("the destroy plan as the user reads it", () => {
  it("names every step's kind and title", () => {
    const plan = buildDestroyPlan(facts({ stateBucket: "aiplat-tfstate-123" }), none);
    expect(plan.steps.map((s) => [s.kind, s.title])).toEqual([
      ["preflight", "Preflight: credentials last the whole plan, the cluster answers"],
      ["stop-gitops", "Stop GitOps: switch off automated sync so nothing is re-created"],
      [
        "endpoints",
        "Delete InferenceEndpoints while KRO and KubeRay run; deregister their models from LiteLLM",
      ],
      ["load-balancers", "Delete LoadBalancer Services and Ingresses while the LB controller runs"],
      ["node-pools", "Delete the Karpenter NodePools; drain and terminate their nodes"],
      ["applications", "Delete the Applications (cascade) and PVCs while the EBS CSI driver runs"],
      ["stage", "terraform destroy 30.eks/30.cluster"],
      ["stage", "terraform destroy 20.iam-roles-for-eks"],
      ["stage", "terraform destroy 10.networking"],
      [
        "state-backend",
        "Empty (every version) and remove the state bucket aiplat-tfstate-123, then schedule the deletion of its KMS key",
      ],
      ["leftovers", "Scan AWS for what is tagged for or named after fx-dev"],
      ["report", "Report what was deleted and what is left, with its hourly cost"],
    ]);
    expect(byId(plan.steps, "state-backend")?.evidence).toBe(
      "HeadBucket answers NotFound; DescribeKey shows the key PendingDeletion (or no alias)",
    );
    expect(byId(plan.steps, "state-backend")?.skip).toBeUndefined();
  });

  it("lists what each in-cluster step acts on; the checks act on nothing", () => {
    const plan = buildDestroyPlan(facts(), none);
    expect(byId(plan.steps, "preflight")?.actsOn).toEqual([]);
    expect(byId(plan.steps, "load-balancers")?.actsOn).toEqual([
      "Service inference/public",
      "Ingress ai-platform/langfuse",
    ]);
    expect(byId(plan.steps, "applications")?.actsOn).toEqual([
      "Application argocd/litellm",
      "Application argocd/workloads",
      "PersistentVolumeClaim ai-platform/data-langfuse-postgresql-0",
    ]);
    expect(byId(plan.steps, "leftovers")?.actsOn).toEqual([]);
    expect(byId(plan.steps, "report")?.actsOn).toEqual([]);
  });

  it("says how many resources each stage's state holds: none, a count, or 'the' when the state could not be read", () => {
    const plan = buildDestroyPlan(facts(), none);
    expect(byId(plan.steps, "stage:30.eks/30.cluster")?.actsOn).toEqual([
      "12 resource(s) in the state of 30.eks/30.cluster",
    ]);
    expect(byId(plan.steps, "stage:20.iam-roles-for-eks")?.actsOn).toEqual([
      "the resource(s) in the state of 20.iam-roles-for-eks",
    ]);
    expect(byId(plan.steps, "stage:10.networking")?.actsOn).toEqual([]);
    const one = buildDestroyPlan(
      facts({ stages: [{ path: "10.networking", backend: "s3", resources: 1 }] }),
      none,
    );
    expect(byId(one.steps, "stage:10.networking")?.actsOn).toEqual([
      "1 resource(s) in the state of 10.networking",
    ]);
  });

  it("an unreachable cluster: the in-cluster steps act on nothing and say why", () => {
    const plan = buildDestroyPlan(
      facts({ cluster: { reachable: false, reason: "connection refused" } }),
      none,
    );
    for (const id of ["stop-gitops", "endpoints", "load-balancers", "node-pools", "applications"]) {
      expect(byId(plan.steps, id)?.actsOn).toEqual([]);
      expect(byId(plan.steps, id)?.skip).toBe(
        "cluster unreachable (connection refused); the AWS side and the leftover scan still run",
      );
    }
  });

  it("--keep-infra and --keep-backend keep the bucket with their reasons; no bucket, no step", () => {
    const bucket = facts({ stateBucket: "aiplat-tfstate-123" });
    const keepInfra = buildDestroyPlan(bucket, { ...none, keepInfra: true, keepBackend: true });
    expect(byId(keepInfra.steps, "state-backend")?.skip).toBe("--keep-infra keeps the Terraform state");
    expect(byId(keepInfra.steps, "stage:10.networking")?.skip).toBe(
      "--keep-infra keeps the Terraform stages",
    );
    const keepBackend = buildDestroyPlan(bucket, { ...none, keepBackend: true });
    expect(byId(keepBackend.steps, "state-backend")?.skip).toBe("--keep-backend keeps the state bucket");
    expect(byId(buildDestroyPlan(facts(), none).steps, "state-backend")).toBeUndefined();
  });

  it("--sweep: the scan also deletes what it finds", () => {
    const plan = buildDestroyPlan(facts(), { ...none, sweep: true });
    expect(byId(plan.steps, "leftovers")?.title).toBe(
      "Scan AWS for what is tagged for or named after fx-dev and delete it (--sweep)",
    );
  });

  it("states what bills now, or nothing when the AWS scan could not be read", () => {
    const cloud = [
      toLeftover({ kind: "nat-gateway", id: "nat-1", tags: { "managed-by": "terraform" } }),
      toLeftover({
        kind: "load-balancer",
        id: "lb-1",
        tags: { "service.k8s.aws/stack": "inference/public" },
      }),
    ];
    expect(buildDestroyPlan(facts({ cloud }), none).hourlyCostNow).toBe(0.0675);
    expect(buildDestroyPlan(facts({ cloud: [] }), none).hourlyCostNow).toBe(0);
    expect(
      buildDestroyPlan(facts({ cloud: "AccessDenied: ec2:DescribeInstances" }), none).hourlyCostNow,
    ).toBeUndefined();
  });
});
