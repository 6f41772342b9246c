import { describe, expect, it } from "vitest";
import {
  type CloudItem,
  describeLeftover,
  formatHourly,
  hourlyCost,
  isClusterMade,
  madeBy,
  toLeftover,
  unexpectedLeftovers,
} from "../../src/core/destroy/leftovers.js";

// What the leftover scan tells the user after a teardown: who made each resource (from the tags the
// makers put on it, per their docs), what it bills per hour, and the line `aiplat destroy` prints.

describe("who made a leftover, from its tags", () => {
  it("Terraform's default tags and aiplat's stage tag mean Terraform, even next to Karpenter's discovery tag", () => {
    expect(madeBy({ "aiplat:stage": "10.networking" })).toBe("terraform");
    expect(madeBy({ "aiplat:stage": "30.eks/30.cluster", "karpenter.sh/discovery": "fx-dev" })).toBe(
      "terraform",
    );
    expect(madeBy({ "managed-by": "terraform", "karpenter.sh/nodepool": "gpu-inference" })).toBe("terraform");
    expect(madeBy({ "managed-by": "helm" })).toBe("unknown");
  });

  it("each of Karpenter's own tags alone means Karpenter, among other tags too", () => {
    expect(madeBy({ "karpenter.sh/nodeclaim": "gpu-inference-x7k2p" })).toBe("karpenter");
    expect(madeBy({ "karpenter.k8s.aws/ec2nodeclass": "gpu" })).toBe("karpenter");
    expect(madeBy({ Name: "gpu-node", "karpenter.sh/nodepool": "gpu-inference" })).toBe("karpenter");
    // The discovery tag is Terraform's, for selection: it does not make a resource Karpenter's.
    expect(madeBy({ "karpenter.sh/discovery": "fx-dev" })).toBe("unknown");
  });

  it("the load balancer controller's tag prefixes mean the controller, among other tags too", () => {
    expect(madeBy({ "service.k8s.aws/stack": "inference/public" })).toBe("aws-load-balancer-controller");
    expect(madeBy({ "ingress.k8s.aws/stack": "ai-platform/web" })).toBe("aws-load-balancer-controller");
    expect(madeBy({ Name: "k8s-inferenc-public", "elbv2.k8s.aws/cluster": "fx-dev" })).toBe(
      "aws-load-balancer-controller",
    );
    // The prefix must start the key: a key that merely ends with it is someone else's.
    expect(madeBy({ "my.service.k8s.aws/": "x" })).toBe("unknown");
  });

  it("the EBS CSI driver's tags mean the driver, among other tags too", () => {
    expect(madeBy({ "ebs.csi.aws.com/cluster": "true" })).toBe("ebs-csi-driver");
    expect(madeBy({ Name: "pvc-1", "kubernetes.io/created-for/pvc/namespace": "ai-platform" })).toBe(
      "ebs-csi-driver",
    );
    expect(madeBy({ "x/ebs.csi.aws.com/": "x" })).toBe("unknown");
  });

  it("anything else is unknown", () => {
    expect(madeBy({})).toBe("unknown");
    expect(madeBy({ Name: "bastion", team: "ml" })).toBe("unknown");
  });

  it("an untagged instance profile named <cluster>_<number> is Karpenter's; other profiles and kinds are not", () => {
    const profile = (id: string, tags: Record<string, string> = {}): CloudItem => ({
      kind: "instance-profile",
      id,
      tags,
    });
    expect(toLeftover(profile("fx-dev_4412398128012")).madeBy).toBe("karpenter");
    expect(toLeftover(profile("fx-dev_4")).madeBy).toBe("karpenter");
    expect(toLeftover(profile("fx-dev_4412398128012-old")).madeBy).toBe("unknown");
    expect(toLeftover(profile("fx-dev_abc")).madeBy).toBe("unknown");
    expect(toLeftover(profile("fx-dev-node")).madeBy).toBe("unknown");
    // Tags, when there are any, decide first.
    expect(toLeftover(profile("fx-dev_1", { "managed-by": "terraform" })).madeBy).toBe("terraform");
    // The name rule is for instance profiles only.
    expect(toLeftover({ kind: "log-group", id: "fx-dev_1", tags: {} }).madeBy).toBe("unknown");
  });

  it("counts Karpenter's, the LB controller's and the EBS CSI driver's as made in the cluster, nothing else", () => {
    const by = (tags: Record<string, string>) => toLeftover({ kind: "eni", id: "eni-1", tags });
    expect(isClusterMade(by({ "karpenter.sh/nodepool": "gpu-inference" }))).toBe(true);
    expect(isClusterMade(by({ "elbv2.k8s.aws/cluster": "fx-dev" }))).toBe(true);
    expect(isClusterMade(by({ "ebs.csi.aws.com/cluster": "true" }))).toBe(true);
    expect(isClusterMade(by({ "managed-by": "terraform" }))).toBe(false);
    expect(isClusterMade(by({}))).toBe(false);
    expect(isClusterMade(toLeftover({ kind: "kms-key", id: "k-1", state: "Enabled", tags: {} }))).toBe(false);
    const lb = by({ "service.k8s.aws/stack": "inference/public" });
    const volume = by({ "kubernetes.io/created-for/pvc/name": "data" });
    expect(unexpectedLeftovers([lb, volume, by({})], true)).toEqual([lb, volume]);
  });
});

describe("what a leftover bills per hour", () => {
  it("prices load balancers, NAT gateways and Elastic IPs at their hourly list prices", () => {
    expect(hourlyCost({ kind: "load-balancer", id: "lb-1", type: "network", tags: {} })).toBe(0.0225);
    expect(hourlyCost({ kind: "nat-gateway", id: "nat-1", tags: {} })).toBe(0.045);
    expect(hourlyCost({ kind: "elastic-ip", id: "eipalloc-1", tags: {} })).toBe(0.005);
  });

  it("a terminated instance costs nothing; a running one of an unlisted type is priced as a GPU node", () => {
    expect(
      hourlyCost({ kind: "instance", id: "i-1", type: "g5.xlarge", state: "terminated", tags: {} }),
    ).toBe(0);
    expect(
      hourlyCost({ kind: "instance", id: "i-2", type: "g5.xlarge", state: "shutting-down", tags: {} }),
    ).toBe(1.006);
    expect(hourlyCost({ kind: "instance", id: "i-3", state: "running", tags: {} })).toBe(1);
    expect(hourlyCost({ kind: "instance", id: "i-4", type: "m7i.large", state: "running", tags: {} })).toBe(
      0.1008,
    );
  });

  it("prices a volume by its size ($0.08 per GiB-month), and the free kinds at 0", () => {
    expect(hourlyCost({ kind: "volume", id: "vol-1", sizeGiB: 730, tags: {} })).toBe(0.08);
    // Size unknown: 1 GiB, $0.08/730 h.
    expect(hourlyCost({ kind: "volume", id: "vol-2", tags: {} })).toBe(0.0001);
    for (const kind of ["target-group", "security-group", "instance-profile", "log-group"] as const)
      expect(hourlyCost({ kind, id: "x", tags: {} })).toBe(0);
  });
});

describe("the leftover line `aiplat destroy` prints", () => {
  it("formats dollars per hour with four decimals", () => {
    expect(formatHourly(1.006)).toBe("$1.0060/h");
    expect(formatHourly(0)).toBe("$0.0000/h");
    expect(formatHourly(0.0225)).toBe("$0.0225/h");
  });

  it("names kind, id, name, type and state, who made it and its cost", () => {
    const node = toLeftover({
      kind: "instance",
      id: "i-0abc",
      name: "gpu-node",
      type: "g5.xlarge",
      state: "running",
      tags: { "karpenter.sh/nodepool": "gpu-inference" },
    });
    expect(describeLeftover(node)).toBe(
      "instance i-0abc (gpu-node) g5.xlarge running — made by karpenter, $1.0060/h",
    );
    const lb = toLeftover({
      kind: "load-balancer",
      id: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/k8s-public/1",
      name: "k8s-public",
      type: "network",
      tags: { "service.k8s.aws/stack": "inference/public" },
    });
    expect(describeLeftover(lb)).toBe(
      "load-balancer arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/net/k8s-public/1 (k8s-public) network — made by aws-load-balancer-controller, $0.0225/h",
    );
  });

  it("leaves out a name equal to the id and the fields it does not know", () => {
    const sg = toLeftover({
      kind: "security-group",
      id: "sg-1",
      name: "sg-1",
      tags: { "managed-by": "terraform" },
    });
    expect(describeLeftover(sg)).toBe("security-group sg-1 — made by terraform, $0.0000/h");
    const eni = toLeftover({
      kind: "eni",
      id: "eni-1",
      state: "available",
      tags: { "ebs.csi.aws.com/cluster": "true" },
    });
    expect(describeLeftover(eni)).toBe("eni eni-1 available — made by ebs-csi-driver, $0.0000/h");
  });

  it("for what no platform maker tagged, shows up to four of its tags (a tag without value by its key)", () => {
    const untagged = toLeftover({ kind: "log-group", id: "/aws/eks/fx-dev/cluster", tags: {} });
    expect(describeLeftover(untagged)).toBe(
      "log-group /aws/eks/fx-dev/cluster — not made by aiplat's stages or the cluster's controllers, $0.0000/h",
    );
    const tagged = toLeftover({
      kind: "elastic-ip",
      id: "eipalloc-1",
      tags: { team: "ml", keep: "", owner: "ana", env: "dev", cost: "lab" },
    });
    expect(describeLeftover(tagged)).toBe(
      "elastic-ip eipalloc-1 — not made by aiplat's stages or the cluster's controllers (tags team=ml, keep, owner=ana, env=dev), $0.0050/h",
    );
  });
});
