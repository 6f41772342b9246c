import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../support/paths.js";
import { loadRgd } from "./support/crd-fixtures.js";
import {
  dig,
  type KubeObject,
  listYamlFiles,
  loadManifests,
  readRepoFile,
} from "./support/manifests-load.js";

// Issue 17 points 3 and 4: stateful pods and Ray heads consolidated away by Karpenter, drains that
// could hang forever, and al2023@latest drifting every node on each AMI release.

const DO_NOT_DISRUPT = "karpenter.sh/do-not-disrupt";
const karpenterDir = join(repoRoot, "terraform/30.eks/30.cluster/karpenter");
const template = (file: string) =>
  parseYaml(
    readFileSync(join(karpenterDir, file), "utf8")
      .replace(/\$\{gpu_node_limit\}/, "16")
      .replace(/\$\{ami_alias\}/g, "ALIAS")
      .replace(/\$\{\w+\}/g, "x"),
  ) as KubeObject;

/** A pod template is protected: do-not-disrupt and a preference for on-demand capacity. */
function protectionProblems(where: string, annotations: unknown, affinity: unknown): string[] {
  const problems: string[] = [];
  if ((annotations as Record<string, unknown> | undefined)?.[DO_NOT_DISRUPT] !== "true")
    problems.push(`${where}: no ${DO_NOT_DISRUPT}: "true"`);
  const terms = dig(affinity, "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution") as
    | Array<{ preference?: { matchExpressions?: Array<{ key: string; values?: string[] }> } }>
    | undefined;
  const onDemand = (terms ?? []).some((t) =>
    (t.preference?.matchExpressions ?? []).some(
      (e) => e.key === "karpenter.sh/capacity-type" && (e.values ?? []).join() === "on-demand",
    ),
  );
  if (!onDemand) problems.push(`${where}: does not prefer on-demand nodes`);
  return problems;
}

describe("stateful pods and Ray heads are not consolidated away", () => {
  test("the Ray head of every InferenceEndpoint", () => {
    const rgd = loadRgd();
    const resources = dig(rgd, "spec", "resources") as Array<{ id: string; template: unknown }>;
    const ray = resources.find((r) => r.id === "rayservice")?.template;
    const head = dig(ray, "spec", "rayClusterConfig", "headGroupSpec", "template");
    expect(
      protectionProblems("RGD head", dig(head, "metadata", "annotations"), dig(head, "spec", "affinity")),
    ).toEqual([]);
  });

  test("LiteLLM's Postgres", () => {
    const sts = loadManifests(listYamlFiles(["platform/apps/litellm"]))
      .map((m) => m.object)
      .find((o) => o.kind === "StatefulSet" && o.metadata?.name === "litellm-postgres");
    const pod = dig(sts, "spec", "template");
    expect(
      protectionProblems(
        "litellm-postgres",
        dig(pod, "metadata", "annotations"),
        dig(pod, "spec", "affinity"),
      ),
    ).toEqual([]);
  });

  test("Open WebUI and Langfuse's Postgres, ClickHouse, Valkey and MinIO (chart values)", () => {
    const webui = parseYaml(readRepoFile("platform/apps/open-webui/helm-values.yaml"));
    const langfuse = parseYaml(readRepoFile("platform/apps/langfuse/helm-values.yaml"));
    const problems = [
      ...protectionProblems("open-webui", dig(webui, "podAnnotations"), dig(webui, "affinity")),
      ...protectionProblems(
        "langfuse postgresql.primary",
        dig(langfuse, "postgresql", "primary", "podAnnotations"),
        dig(langfuse, "postgresql", "primary", "affinity"),
      ),
      ...protectionProblems(
        "langfuse clickhouse",
        dig(langfuse, "clickhouse", "podAnnotations"),
        dig(langfuse, "clickhouse", "affinity"),
      ),
      ...protectionProblems(
        "langfuse redis.primary",
        dig(langfuse, "redis", "primary", "podAnnotations"),
        dig(langfuse, "redis", "primary", "affinity"),
      ),
      ...protectionProblems(
        "langfuse s3",
        dig(langfuse, "s3", "podAnnotations"),
        dig(langfuse, "s3", "affinity"),
      ),
    ];
    expect(problems).toEqual([]);
  });

  test("the check itself fails on an unprotected pod", () => {
    expect(protectionProblems("x", {}, {})).toHaveLength(2);
  });
});

describe("Karpenter NodePools: bounded drains, pinned AMIs, one drifted node at a time", () => {
  for (const pool of ["default", "gpu-inference"]) {
    test(`NodePool ${pool}: terminationGracePeriod and a Drifted budget of one node`, () => {
      const obj = template(`nodepool-${pool}.yaml.tftpl`);
      expect(dig(obj, "spec", "template", "spec", "terminationGracePeriod")).toMatch(/^\d+[hm]$/);
      const budgets = (dig(obj, "spec", "disruption", "budgets") ?? []) as Array<{
        nodes: string;
        reasons?: string[];
      }>;
      expect(budgets).toContainEqual({ nodes: "1", reasons: ["Drifted"] });
    });
    test(`EC2NodeClass ${pool}: the AMI alias comes from cluster_config.node_ami_alias`, () => {
      const obj = template(`ec2nodeclass-${pool}.yaml.tftpl`);
      expect(dig(obj, "spec", "amiSelectorTerms")).toEqual([{ alias: "ALIAS" }]);
    });
  }

  test("node_ami_alias defaults to a dated release, is passed to the templates, and rejects @latest", () => {
    const variables = readRepoFile("terraform/00.global/variables.tf");
    expect(variables).toMatch(/node_ami_alias = optional\(string, "al2023@v\d{8}"\)/);
    expect(variables).toContain('can(regex("^al2023@v[0-9]{8}$", var.cluster_config.node_ami_alias))');
    expect(readRepoFile("terraform/30.eks/30.cluster/karpenter.tf")).toMatch(
      /ami_alias\s+= var\.cluster_config\.node_ami_alias/,
    );
    expect(readRepoFile("terraform/00.global/vars/example.tfvars")).toMatch(
      /node_ami_alias = "al2023@v\d{8}"/,
    );
  });
});
