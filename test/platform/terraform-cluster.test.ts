import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseCatalog } from "../../src/core/catalog/index.js";
import { repoRoot } from "../support/paths.js";
import { makeTempDir } from "../support/temp.js";
import { hasGit, skipNote } from "../support/tools.js";
import {
  asArray,
  asRecord,
  blocksOf,
  listFiles,
  loadStage,
  type StageConfig,
} from "./support/terraform-load.js";
import {
  checkGpuNodePool,
  checkNodeClass,
  exprOf,
  findSecretsWithoutNamespaceFirst,
  placeholdersOf,
  renderSimpleTemplate,
} from "./support/terraform-platform-checks.js";

const terraformRoot = join(repoRoot, "terraform");

/** A Terraform interpolation as hcl2json renders it: "${expr}". */
const interp = (expr: string): string => `\${${expr}}`;
const clusterStage = "30.eks/30.cluster";
const karpenterDir = join(terraformRoot, clusterStage, "karpenter");

let cluster: StageConfig;
beforeAll(async () => {
  cluster = await loadStage(terraformRoot, clusterStage);
});

function resource(type: string, name: string): Record<string, unknown> {
  const found = blocksOf(cluster, "resource", type).find((b) => b.name === name);
  if (!found) throw new Error(`${type}.${name} is not declared in ${clusterStage}`);
  return found.body;
}

function secret(name: string): {
  namespace: string;
  data: Record<string, unknown>;
  body: Record<string, unknown>;
} {
  const body = resource("kubernetes_secret_v1", name);
  const metadata = asRecord(asArray(body.metadata)[0]);
  return { namespace: exprOf(metadata.namespace), data: asRecord(body.data), body };
}

describe("storage the platform's volumes need", () => {
  test("a default gp3 StorageClass exists whenever block storage does (EKS ≥ 1.30 marks none)", () => {
    const sc = resource("kubernetes_storage_class_v1", "gp3");
    const metadata = asRecord(asArray(sc.metadata)[0]);
    expect(asRecord(metadata.annotations)["storageclass.kubernetes.io/is-default-class"]).toBe("true");
    expect(exprOf(sc.count)).toContain("local.capabilities.blockstorage");
    expect(exprOf(sc.storage_provisioner)).toContain("ebs.csi.aws.com");
    expect(asRecord(sc.parameters)).toMatchObject({ type: "gp3", encrypted: "true" });
    expect(sc.volume_binding_mode).toBe("WaitForFirstConsumer");
  });
});

describe("defect 1: namespaces exist before the secrets in them", () => {
  test("every secret Terraform creates references its namespace resource or depends on one", () => {
    expect(blocksOf(cluster, "resource", "kubernetes_secret_v1").length).toBeGreaterThanOrEqual(4);
    expect(findSecretsWithoutNamespaceFirst(cluster)).toEqual([]);
  });

  test("the ai-platform and inference namespaces are created by Terraform", () => {
    const ns = resource("kubernetes_namespace_v1", "platform");
    expect(exprOf(ns.for_each)).toBe("local.platform_namespaces");
    expect(readFileSync(join(terraformRoot, clusterStage, "platform-secrets.tf"), "utf8")).toMatch(
      /platform_namespaces\s*=\s*toset\(\["ai-platform", "inference"\]\)/,
    );
  });

  test("the check fails when a secret names its namespace as a plain string", async () => {
    const root = makeTempDir();
    cpSync(join(terraformRoot, clusterStage), join(root, clusterStage), { recursive: true });
    const file = join(root, clusterStage, "platform-secrets.tf");
    const text = readFileSync(file, "utf8");
    const ref = 'namespace = kubernetes_namespace_v1.platform["inference"].metadata[0].name';
    expect(text).toContain(ref);
    writeFileSync(file, text.replace(ref, 'namespace = "inference"'));
    const problems = findSecretsWithoutNamespaceFirst(await loadStage(root, clusterStage));
    expect(problems).toEqual([
      "platform-secrets.tf: kubernetes_secret_v1.litellm_api_key goes into namespace inference without creating it first",
    ]);
  });
});

describe("platform secrets (names and keys the apps and aiplat rely on)", () => {
  test("the master key stays in ai-platform/litellm-secrets; inference/litellm-api-key holds only the scoped registration key", () => {
    const proxy = secret("litellm_secrets");
    const jobs = secret("litellm_api_key");
    expect(exprOf(asRecord(asArray(proxy.body.metadata)[0]).name)).toBe("litellm-secrets");
    expect(exprOf(asRecord(asArray(jobs.body.metadata)[0]).name)).toBe("litellm-api-key");
    expect(proxy.namespace).toBe('kubernetes_namespace_v1.platform["ai-platform"].metadata[0].name');
    expect(jobs.namespace).toBe('kubernetes_namespace_v1.platform["inference"].metadata[0].name');
    expect(proxy.data).toEqual({
      "master-key": `sk-${interp("random_password.litellm_master_key.result")}`,
      "postgres-password": interp("random_password.litellm_postgres.result"),
      "webui-key": `sk-${interp('random_password.litellm_scoped_key["webui-key"].result')}`,
      "registration-key": `sk-${interp('random_password.litellm_scoped_key["registration-key"].result')}`,
    });
    expect(jobs.data).toEqual({ "registration-key": proxy.data["registration-key"] });
  });

  test("defect 4: every Langfuse secret is hex from random_id, and the encryption key is 64 hex characters", () => {
    const langfuse = secret("langfuse_secrets");
    expect(exprOf(asRecord(asArray(langfuse.body.metadata)[0]).name)).toBe("langfuse-secrets");
    expect(langfuse.namespace).toBe('kubernetes_namespace_v1.platform["ai-platform"].metadata[0].name');
    expect(exprOf(langfuse.body.data)).toMatch(/random_id\.langfuse\[key\]\.hex/);
    const ids = resource("random_id", "langfuse");
    // 32 bytes = 64 hex characters for every key but the MinIO user name.
    expect(exprOf(ids.byte_length)).toBe('each.key == "s3-user" ? 10 : 32');
    const keys = readFileSync(join(terraformRoot, clusterStage, "platform-secrets.tf"), "utf8").match(
      /langfuse_secret_keys\s*=\s*toset\(\[([^\]]*)\]\)/,
    )?.[1];
    expect(
      keys
        ?.split(",")
        .map((k) => k.trim().replaceAll('"', ""))
        .sort(),
    ).toEqual(
      [
        "clickhouse-password",
        "encryption-key",
        "nextauth-secret",
        "password",
        "redis-password",
        "s3-password",
        "s3-user",
        "salt",
      ].sort(),
    );
    expect(blocksOf(cluster, "resource", "random_password").map((b) => b.name)).toEqual([
      "litellm_master_key",
      "litellm_postgres",
      "litellm_scoped_key",
    ]);
  });

  test("the Argo CD cluster secret registers the cluster by ARN as local-cluster", () => {
    const argo = secret("argocd_local_cluster");
    const metadata = asRecord(asArray(argo.body.metadata)[0]);
    expect(exprOf(metadata.name)).toBe("local-cluster");
    expect(argo.namespace).toBe("argocd");
    expect(metadata.labels).toEqual({ "argocd.argoproj.io/secret-type": "cluster" });
    expect(argo.data).toEqual({
      name: "local-cluster",
      server: `${interp("module.eks.cluster_arn")}`,
      project: "default",
    });
    expect(asArray(argo.body.depends_on).map(exprOf)).toContain("kubectl_manifest.argocd_namespace");
  });
});

describe("EKS access and capabilities", () => {
  test("the four IAM roles get access entries with their access policies", () => {
    const eks = cluster.modules.find((m) => m.name === "eks");
    expect(exprOf(eks?.body.access_entries)).toContain(
      "data.terraform_remote_state.iam.outputs.eks_access_role_arns",
    );
    const text = readFileSync(join(terraformRoot, clusterStage, "eks.tf"), "utf8");
    for (const [role, policy] of [
      ["EKSClusterAdmin", "AmazonEKSClusterAdminPolicy"],
      ["EKSAdmin", "AmazonEKSAdminPolicy"],
      ["EKSEdit", "AmazonEKSEditPolicy"],
      ["EKSView", "AmazonEKSViewPolicy"],
    ]) {
      expect(text).toMatch(new RegExp(`${role}\\s*=\\s*"${policy}"`));
    }
  });

  test("the Argo CD capability takes Identity Center and RBAC mappings from tfvars (current singular block names)", () => {
    const argocd = resource("aws_eks_capability", "argocd");
    expect(argocd.type).toBe("ARGOCD");
    expect(argocd.delete_propagation_policy).toBe("RETAIN");
    const argoCd = asRecord(asArray(asRecord(asArray(argocd.configuration)[0]).argo_cd)[0]);
    expect(argoCd.namespace).toBe("argocd");
    expect(asArray(argoCd.aws_idc)[0]).toEqual({
      idc_instance_arn: `${interp("local.capability_config.argocd_idc_instance_arn")}`,
      idc_region: `${interp("local.capability_config.argocd_idc_region")}`,
    });
    const mapping = asRecord(asArray(asRecord(argoCd.dynamic).rbac_role_mapping)[0]);
    expect(exprOf(mapping.for_each)).toBe("local.capability_config.argocd_rbac_mappings");
    const content = asRecord(asArray(mapping.content)[0]);
    const identity = asRecord(asArray(asRecord(content.dynamic).identity)[0]);
    expect(asArray(identity.content)[0]).toEqual({
      id: `${interp("identity.value.id")}`,
      type: `${interp("identity.value.type")}`,
    });
    expect(argoCd).not.toHaveProperty("rbac_role_mappings");
  });

  test("KRO and ACK are capabilities too, each capability has its own role trusted by capabilities.eks.amazonaws.com", () => {
    const controllers = resource("aws_eks_capability", "controller");
    expect(exprOf(controllers.role_arn)).toBe("aws_iam_role.capability[each.key].arn");
    const text = readFileSync(join(terraformRoot, clusterStage, "capabilities.tf"), "utf8");
    expect(text).toMatch(/kro\s*=\s*\{ type = "KRO"/);
    expect(text).toMatch(/ack\s*=\s*\{ type = "ACK"/);
    const trust = blocksOf(cluster, "data", "aws_iam_policy_document").find(
      (b) => b.name === "capability_trust",
    );
    const statement = asRecord(asArray(trust?.body.statement)[0]);
    expect(statement.actions).toEqual(["sts:AssumeRole", "sts:TagSession"]);
    expect(asArray(statement.principals)[0]).toEqual({
      type: "Service",
      identifiers: ["capabilities.eks.amazonaws.com"],
    });
  });

  test("Argo CD and KRO may create what the platform needs (cluster-admin association after the capability exists)", () => {
    const assoc = resource("aws_eks_access_policy_association", "capability_cluster_admin");
    expect(exprOf(assoc.policy_arn)).toContain("AmazonEKSClusterAdminPolicy");
    expect(asArray(assoc.depends_on).map(exprOf)).toEqual([
      "aws_eks_capability.argocd",
      "aws_eks_capability.controller",
    ]);
    const text = readFileSync(join(terraformRoot, clusterStage, "capabilities.tf"), "utf8");
    expect(text).toMatch(/contains\(\["argocd", "kro"\], k\)/);
  });

  test("the outputs aiplat reads exist under their contract names", () => {
    for (const name of [
      "cluster_name",
      "cluster_endpoint",
      "cluster_certificate_authority_data",
      "cluster_arn",
      "region",
      "vpc_id",
      "oidc_provider_arn",
      "karpenter_node_role_name",
      "argocd_capability_name",
    ]) {
      expect(cluster.outputs.has(name), name).toBe(true);
    }
  });
});

describe("no secret in committed files", () => {
  const SECRET_PATTERNS = [
    /dckr_pat_[A-Za-z0-9_-]{10,}/,
    /AKIA[0-9A-Z]{16}/,
    /hf_[A-Za-z0-9]{30,}/,
    /sk-[A-Za-z0-9]{20,}/,
  ];
  const scan = (root: string): string[] =>
    listFiles(root).flatMap((file) => {
      const text = readFileSync(join(root, file), "utf8");
      const hits = SECRET_PATTERNS.filter((p) => p.test(text)).map((p) => `${file}: ${p.source}`);
      // An access token assigned outside a comment is a committed credential.
      for (const line of text.split("\n")) {
        if (/^\s*(?:docker_hub_)?access_token\s*=\s*"/.test(line)) hits.push(`${file}: access_token value`);
      }
      return hits;
    });

  test("nothing under terraform/ looks like a token or key", () => {
    expect(scan(terraformRoot)).toEqual([]);
  });

  test("the scan finds a Docker Hub token written into a var file", () => {
    const dir = makeTempDir();
    writeFileSync(
      join(dir, "dev.tfvars"),
      'docker_hub_username = "me"\ndocker_hub_access_token = "dckr_pat_abcdefghijklmnop"\n',
    );
    expect(scan(dir)).toEqual(["dev.tfvars: dckr_pat_[A-Za-z0-9_-]{10,}", "dev.tfvars: access_token value"]);
  });

  test.skipIf(!hasGit())(`<env>.secret.tfvars files are ignored by git${skipNote("git", hasGit())}`, () => {
    const result = spawnSync("git", ["check-ignore", "-q", "terraform/00.global/vars/dev.secret.tfvars"], {
      cwd: repoRoot,
    });
    expect(result.status).toBe(0);
  });

  test("the Docker Hub cache exists only with credentials, and the token is write-only (never in state)", () => {
    const versionRes = resource("aws_secretsmanager_secret_version", "docker_hub");
    expect(versionRes).toHaveProperty("secret_string_wo");
    expect(versionRes).not.toHaveProperty("secret_string");
    // A write-only value is sent only when its version changes: a fixed number would keep a
    // rotated token from ever reaching Secrets Manager.
    expect(exprOf(versionRes.secret_string_wo_version)).toBe("var.docker_hub_credentials_version");
    const secretRes = resource("aws_secretsmanager_secret", "docker_hub");
    expect(exprOf(secretRes.name)).toMatch(/^ecr-pullthroughcache\//);
    for (const [type, name] of [
      ["aws_secretsmanager_secret", "docker_hub"],
      ["aws_secretsmanager_secret_version", "docker_hub"],
      ["aws_ecr_pull_through_cache_rule", "docker_hub"],
    ] as const) {
      expect(exprOf(resource(type, name).count)).toBe("local.docker_hub_cache_enabled ? 1 : 0");
    }
  });
});

describe("Karpenter NodePools and EC2NodeClasses (karpenter/*.yaml.tftpl)", () => {
  const templateFiles = listFiles(karpenterDir).filter((f) => f.endsWith(".yaml.tftpl"));
  const dummy = {
    cluster_name: "test-cluster-dev",
    node_role_name: "test-cluster-dev-karpenter-node",
    gpu_node_limit: "16",
    ami_alias: "al2023@v20260930",
  };
  const rendered = templateFiles.map((f) => ({
    file: f,
    text: readFileSync(join(karpenterDir, f), "utf8"),
  }));
  const objects = rendered.map(({ file, text }) => ({
    file,
    obj: parseYaml(renderSimpleTemplate(text, dummy)) as Record<string, unknown>,
  }));
  const named = (kind: string, name: string) =>
    objects.find(({ obj }) => obj.kind === kind && asRecord(obj.metadata).name === name)?.obj;

  test("the templates define the default and gpu-inference NodePools and their EC2NodeClasses", () => {
    expect(objects.map(({ obj }) => `${obj.kind}/${asRecord(obj.metadata).name}`).sort()).toEqual([
      "EC2NodeClass/default",
      "EC2NodeClass/gpu-inference",
      "NodePool/default",
      "NodePool/gpu-inference",
    ]);
  });

  test("templates use only simple placeholders, all of which karpenter.tf passes to templatefile()", () => {
    const passed = readFileSync(join(terraformRoot, clusterStage, "karpenter.tf"), "utf8").match(
      /karpenter_template_vars = \{([^}]*)\}/,
    )?.[1];
    const given = [...(passed ?? "").matchAll(/^\s*(\w+)\s*=/gm)].map((m) => m[1]);
    for (const { text } of rendered) for (const p of placeholdersOf(text)) expect(given).toContain(p);
    expect(() => renderSimpleTemplate(`a: ${interp("var.x")}`, dummy)).toThrow(/simple placeholders/);
  });

  test("gpu-inference: labelled and tainted for GPU workers, g5/g6/g6e, GPU limit, consolidated when empty", () => {
    const pool = named("NodePool", "gpu-inference");
    expect(pool).toBeDefined();
    expect(checkGpuNodePool(pool!, ["default", "gpu-inference"])).toEqual([]);
  });

  test("the GPU limit comes from cluster_config.gpu_node_limit, whose default fits an upgrade of the largest catalog model", () => {
    const pool = readFileSync(join(karpenterDir, "nodepool-gpu-inference.yaml.tftpl"), "utf8");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform template placeholder
    expect(pool).toContain('nvidia.com/gpu: "${gpu_node_limit}"');
    const variables = readFileSync(join(terraformRoot, "00.global/variables.tf"), "utf8");
    const limit = Number(variables.match(/gpu_node_limit\s*=\s*optional\(number,\s*(\d+)\)/)?.[1]);
    // KubeRay brings a changed RayService's new Ray cluster up beside the old one: 2x the GPUs.
    const largest = Math.max(
      ...parseCatalog(readFileSync(join(repoRoot, "templates/models.yaml"), "utf8")).flatMap((m) =>
        Object.values(m.gpus).filter((n): n is number => n !== null),
      ),
    );
    expect(largest).toBeGreaterThanOrEqual(8);
    expect(limit).toBeGreaterThanOrEqual(2 * largest);
  });

  test("the NodePool check fails on a pool that would let any pod onto GPU nodes without a spend limit", () => {
    const pool = structuredClone(named("NodePool", "gpu-inference")!);
    const spec = asRecord(pool.spec);
    delete asRecord(asRecord(spec.template).spec).taints;
    delete spec.limits;
    expect(checkGpuNodePool(pool, ["default", "gpu-inference"])).toEqual([
      "nodes lack the taint nvidia.com/gpu:NoSchedule (any pod could land on a GPU node)",
      "no limit on nvidia.com/gpu (unbounded GPU spend)",
    ]);
  });

  test("every EC2NodeClass uses al2023@latest, the Karpenter node role and discovery tags", () => {
    for (const name of ["default", "gpu-inference"]) {
      expect(
        checkNodeClass(named("EC2NodeClass", name)!, dummy.cluster_name, dummy.node_role_name),
        name,
      ).toEqual([]);
    }
  });

  test("subnets and the node security group carry the discovery tag the node classes select", async () => {
    const networking = readFileSync(join(terraformRoot, "10.networking/main.tf"), "utf8");
    expect(networking).toMatch(
      /private_subnet_tags = \{[^}]*"karpenter\.sh\/discovery" = local\.cluster_name/s,
    );
    const eks = cluster.modules.find((m) => m.name === "eks");
    expect(eks?.body.node_security_group_tags).toEqual({
      "karpenter.sh/discovery": `${interp("local.cluster_name")}`,
    });
  });

  test("NodePools are applied after, and so deleted before, the Karpenter controller (it must reap its nodes)", () => {
    const manifests = resource("kubectl_manifest", "karpenter");
    expect(asArray(manifests.depends_on).map(exprOf)).toEqual(["helm_release.karpenter"]);
    expect(exprOf(manifests.yaml_body)).toMatch(/^templatefile\(/);
    const release = resource("helm_release", "karpenter");
    expect(release.version).toBe("1.14.1");
  });
});
