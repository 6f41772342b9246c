import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../../paths.js";
import type { SimClock } from "../runtime/clock.js";
import type { KubeObject, Store } from "../runtime/kube.js";
import { tryGet } from "../runtime/kube.js";
import { findInstanceType, nodeResources } from "./instance-types.js";
import type { CloudLedger, CloudResource } from "./ledger.js";
import { type DestroyContext, deleteKarpenterObjects, destroyNetwork } from "./stage-destroy.js";

/**
 * A simulated `terraform apply`/`destroy` of the platform's stages, recording what each stage
 * creates in the cloud ledger and in the cluster, so the destroy path can be checked against a
 * bill: 10.networking (VPC, subnets, NAT gateway), 20.iam-roles-for-eks, 30.eks/30.cluster (EKS
 * cluster, the ArgoCD/KRO/ACK capabilities, the system managed node group, namespaces and
 * secrets, Karpenter with its NodePools from terraform/30.eks/30.cluster/karpenter/), and
 * 30.eks/35.addons (the AWS Load Balancer Controller). As in AWS, destroying the network fails with
 * DependencyViolation while ENIs (Karpenter's instances, load balancers) are still in the VPC.
 */
export const STAGES = [
  "10.networking",
  "20.iam-roles-for-eks",
  "30.eks/30.cluster",
  "30.eks/35.addons",
] as const;
export type Stage = (typeof STAGES)[number];

export interface TerraformHooks {
  clusterUp(): void;
  clusterDown(): void;
  addonsUp(): void;
  addonsDown(): void;
}

export interface TerraformOptions {
  clusterName: string;
  masterKey: string;
  createSecrets: boolean;
  /** cluster_config.gpu_node_limit (default 16 in terraform/00.global/variables.tf). */
  gpuNodeLimit: number;
  random: { hex(n: number): string };
  clock: SimClock;
  /** How long the cluster stage's destroy waits for the NodePools/EC2NodeClasses to go. */
  clusterDestroyWaitMinutes: number;
  /** How long a DependencyViolation on the network is retried before destroy fails. */
  networkDestroyRetryMinutes: number;
}

const SYSTEM_TYPE = "m7i.large";

/**
 * Terraform's templatefile() for the simple `${name}` placeholders the Karpenter templates use. An
 * unknown variable fails loudly: a template that grew a variable needs a value here too.
 */
function renderTemplate(text: string, file: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    const value = vars[name];
    if (value === undefined)
      throw new Error(
        `${file}: template variable ${name} has no value in the simulator (cloud/terraform.ts)`,
      );
    return value;
  });
}

export class SimulatedTerraform {
  private readonly created = new Map<Stage, CloudResource[]>();
  private readonly destroying = new Map<Stage, Promise<void>>();
  /** The EKS node security group (instances' ENIs use it). */
  nodeSecurityGroup: CloudResource | undefined;

  constructor(
    private readonly store: Store,
    private readonly ledger: CloudLedger,
    private readonly options: TerraformOptions,
    private readonly hooks: TerraformHooks,
  ) {}

  applied(): Stage[] {
    return STAGES.filter((s) => this.created.has(s));
  }

  apply(stage: Stage): void {
    if (this.created.has(stage)) return;
    const tags = { "aiplat:cluster": this.options.clusterName, "aiplat:stage": stage };
    const add = (
      r: Omit<CloudResource, "id" | "launchedAtMinute" | "createdBy" | "tags"> & {
        tags?: Record<string, string>;
      },
    ) => this.ledger.create({ ...r, tags: { ...tags, ...(r.tags ?? {}) }, createdBy: `terraform:${stage}` });
    const made: CloudResource[] = [];
    if (stage === "10.networking") {
      const vpc = add({ kind: "vpc", name: `${this.options.clusterName}-vpc`, hourlyPrice: 0 });
      made.push(vpc);
      for (let i = 0; i < 6; i++) made.push(add({ kind: "subnet", hourlyPrice: 0, attachedTo: vpc.id }));
      // terraform-aws-modules/vpc: one NAT gateway with its Elastic IP (public IPv4 $0.005/h).
      const nat = add({ kind: "nat-gateway", hourlyPrice: 0.045, attachedTo: vpc.id });
      made.push(nat);
      made.push(add({ kind: "elastic-ip", hourlyPrice: 0.005, attachedTo: nat.id }));
      made.push(
        add({ kind: "eni", hourlyPrice: 0, attachedTo: nat.id, tags: { "delete-on-termination": "true" } }),
      );
      made.push(add({ kind: "security-group", name: "default", hourlyPrice: 0, attachedTo: vpc.id }));
    } else if (stage === "20.iam-roles-for-eks") {
      for (const role of ["EKSClusterAdmin", "EKSAdmin", "EKSEdit", "EKSView"])
        made.push(add({ kind: "iam-role", name: role, hourlyPrice: 0 }));
    } else if (stage === "30.eks/30.cluster") {
      made.push(add({ kind: "eks-cluster", name: this.options.clusterName, hourlyPrice: 0.1 }));
      // terraform-aws-modules/eks v21 makes the control-plane log group (create_cloudwatch_log_group)
      // and the node security group the EC2NodeClasses select (karpenter.sh/discovery).
      made.push(
        add({
          kind: "log-group",
          name: `/aws/eks/${this.options.clusterName}/cluster`,
          hourlyPrice: 0,
          tags: { "retention-in-days": "90" },
        }),
      );
      this.nodeSecurityGroup = add({
        kind: "security-group",
        name: `${this.options.clusterName}-node`,
        hourlyPrice: 0,
        tags: { "karpenter.sh/discovery": this.options.clusterName },
      });
      made.push(this.nodeSecurityGroup);
      // Capability prices are UNCONFIRMED; a small hourly charge keeps them visible on the bill.
      for (const cap of ["argocd", "kro", "ack"])
        made.push(add({ kind: "eks-capability", name: cap, type: cap.toUpperCase(), hourlyPrice: 0.03 }));
      made.push(...this.createSystemNodes(add));
      this.createClusterObjects();
      this.hooks.clusterUp();
    } else if (stage === "30.eks/35.addons") {
      this.requireClusterOutputs();
      this.hooks.addonsUp();
    }
    this.created.set(stage, made);
  }

  /**
   * `terraform destroy` of a stage (stage-destroy.ts has the order and failures). What can go at
   * once goes before the first await, so a caller that does not wait still sees it.
   */
  destroy(stage: Stage): Promise<void> {
    const running = this.destroying.get(stage);
    if (running) return running;
    const done = this.destroyStage(stage).finally(() => this.destroying.delete(stage));
    this.destroying.set(stage, done);
    return done;
  }

  private async destroyStage(stage: Stage): Promise<void> {
    const made = this.created.get(stage);
    if (!made) return;
    if (stage === "30.eks/35.addons") {
      this.requireClusterOutputs();
      this.hooks.addonsDown();
    } else if (stage === "30.eks/30.cluster") {
      await deleteKarpenterObjects(this.destroyContext());
      this.hooks.clusterDown();
    } else if (stage === "10.networking") {
      try {
        await destroyNetwork(this.destroyContext(), made);
      } finally {
        const left = made.filter((r) => this.ledger.find(r.id)?.deletedAtMinute === undefined);
        if (left.length > 0) this.created.set(stage, left);
        else this.created.delete(stage);
      }
      return;
    }
    // Terraform waits for each deletion to finish (the node group until its instances are gone).
    for (const r of [...made].reverse()) this.ledger.delete(r.id, { waited: true });
    this.created.delete(stage);
  }

  private destroyContext(): DestroyContext {
    return {
      store: this.store,
      ledger: this.ledger,
      clock: this.options.clock,
      clusterWaitMinutes: this.options.clusterDestroyWaitMinutes,
      networkRetryMinutes: this.options.networkDestroyRetryMinutes,
    };
  }

  /**
   * The addons stage reads the cluster stage's outputs (35.addons/remote-state.tf); once that stage
   * is destroyed they are empty and the addons stage can neither plan, apply nor destroy.
   */
  private requireClusterOutputs(): void {
    if (this.created.has("30.eks/30.cluster")) return;
    throw new Error(
      'Error: Unsupported attribute: on main.tf line 8, in module "eks_blueprints_addons": cluster_name = local.cluster.cluster_name; local.cluster is object with no attributes. This object does not have an attribute named "cluster_name".',
    );
  }

  private createSystemNodes(
    add: (
      r: Omit<CloudResource, "id" | "launchedAtMinute" | "createdBy" | "tags"> & {
        tags?: Record<string, string>;
      },
    ) => CloudResource,
  ): CloudResource[] {
    const type = findInstanceType(SYSTEM_TYPE)!;
    const made: CloudResource[] = [];
    for (let i = 0; i < 2; i++) {
      const instance = add({
        kind: "instance",
        type: type.name,
        hourlyPrice: type.hourlyPrice,
        tags: { "eks:nodegroup-name": "system" },
      });
      made.push(instance);
      made.push(
        add({
          kind: "eni",
          hourlyPrice: 0,
          attachedTo: instance.id,
          tags: { "delete-on-termination": "true" },
          ...(this.nodeSecurityGroup ? { securityGroups: [this.nodeSecurityGroup.id] } : {}),
        }),
      );
      made.push(
        add({
          kind: "volume",
          type: "gp3",
          hourlyPrice: 0.0055,
          attachedTo: instance.id,
          tags: { "delete-on-termination": "true" },
        }),
      );
      const name = `ip-10-0-1-${10 + i}.ec2.internal`;
      const { capacity, allocatable } = nodeResources(type);
      const node = this.store.create(
        {
          apiVersion: "v1",
          kind: "Node",
          metadata: {
            name,
            labels: {
              "eks.amazonaws.com/nodegroup": "system",
              "workload-type": "system",
              "karpenter.sh/controller": "true",
              "node.kubernetes.io/instance-type": type.name,
              "kubernetes.io/hostname": name,
              "kubernetes.io/os": "linux",
              "kubernetes.io/arch": "amd64",
            },
          },
          spec: { providerID: `aws:///us-east-1a/${instance.id}` },
        },
        { fieldManager: "eks" },
      );
      this.store.patch(
        { apiVersion: "v1", kind: "Node", name: node.metadata?.name ?? "" },
        {
          status: {
            capacity,
            allocatable,
            conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }],
          },
        },
        "merge",
        { subresource: "status", fieldManager: "kubelet" },
      );
    }
    return made;
  }

  private ensure(obj: KubeObject): void {
    const ref = {
      apiVersion: obj.apiVersion ?? "",
      kind: obj.kind ?? "",
      name: obj.metadata?.name ?? "",
      namespace: obj.metadata?.namespace,
    };
    if (!tryGet(this.store, ref)) this.store.create(obj, { fieldManager: "terraform" });
  }

  private createClusterObjects(): void {
    for (const ns of ["argocd", "ai-platform", "inference"])
      this.ensure({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    if (this.options.createSecrets) {
      const key = b64(this.options.masterKey);
      const webuiKey = b64(`sk-${this.options.random.hex(48)}`);
      const registrationKey = b64(`sk-${this.options.random.hex(48)}`);
      this.ensure({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "litellm-secrets", namespace: "ai-platform" },
        // platform-secrets.tf: the Postgres password is its own random value, not the master key;
        // Open WebUI and the registration Jobs get scoped virtual keys of their own.
        data: {
          "master-key": key,
          "postgres-password": b64(this.options.random.hex(40)),
          "webui-key": webuiKey,
          "registration-key": registrationKey,
        },
      });
      this.ensure({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "litellm-api-key", namespace: "inference" },
        data: { "registration-key": registrationKey },
      });
      const hex = () => b64(this.options.random.hex(64));
      this.ensure({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "langfuse-secrets", namespace: "ai-platform" },
        data: {
          salt: hex(),
          "nextauth-secret": hex(),
          "encryption-key": hex(),
          password: hex(),
          "clickhouse-password": hex(),
          "redis-password": hex(),
        },
      });
    }
    this.ensure({
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "local-cluster",
        namespace: "argocd",
        labels: { "argocd.argoproj.io/secret-type": "cluster" },
      },
      data: {
        name: b64("local-cluster"),
        server: b64(`arn:aws:eks:us-east-1:123456789012:cluster/${this.options.clusterName}`),
      },
    });
    for (const obj of this.karpenterObjects()) this.ensure(obj);
  }

  /** The EC2NodeClasses and NodePools Terraform applies, from the platform's own templates. */
  private karpenterObjects(): KubeObject[] {
    const dir = join(repoRoot, "terraform", "30.eks", "30.cluster", "karpenter");
    const files = [
      "ec2nodeclass-default.yaml.tftpl",
      "ec2nodeclass-gpu-inference.yaml.tftpl",
      "nodepool-default.yaml.tftpl",
      "nodepool-gpu-inference.yaml.tftpl",
    ];
    const out: KubeObject[] = [];
    for (const file of files) {
      const path = join(dir, file);
      if (!existsSync(path)) continue;
      const text = renderTemplate(readFileSync(path, "utf8"), file, {
        cluster_name: this.options.clusterName,
        node_role_name: `${this.options.clusterName}-karpenter-node`,
        gpu_node_limit: String(this.options.gpuNodeLimit),
        // cluster_config.node_ami_alias's default (terraform/00.global/variables.tf).
        ami_alias: "al2023@v20260930",
      });
      for (const doc of parseAllDocuments(text)) {
        const obj = doc.toJS() as KubeObject | null;
        if (obj?.kind) out.push(obj);
      }
    }
    return out;
  }
}
