import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse as parseYaml } from "yaml";
import { repoRoot } from "../support/paths.js";
import { dig, readRepoFile } from "./support/manifests-load.js";
import { blocksOf, loadStage, type StageConfig } from "./support/terraform-load.js";

// Issue 17 points 13 and 14: Langfuse's ClickHouse brought a 3-node ZooKeeper; Karpenter's CRDs
// came from the main chart (never upgraded by Helm) and its values carried a key 1.14 lacks.

let cluster: StageConfig;
beforeAll(async () => {
  cluster = await loadStage(join(repoRoot, "terraform"), "30.eks/30.cluster");
});

const release = (name: string) => {
  const found = blocksOf(cluster, "resource", "helm_release").find((b) => b.name === name);
  if (!found) throw new Error(`helm_release.${name} is missing`);
  return found.body;
};

describe("Karpenter's CRDs are upgraded with Karpenter", () => {
  test("they come from the karpenter-crd chart at the controller's version; the main chart skips them", () => {
    const crd = release("karpenter_crd");
    const main = release("karpenter");
    expect(crd.chart).toBe("karpenter-crd");
    expect(crd.repository).toBe(main.repository);
    expect(crd.version).toBe(main.version);
    expect(main.skip_crds).toBe(true);
    expect(String(main.depends_on)).toContain("helm_release.karpenter_crd");
  });

  test("the controller's values hold no webhook key (not a Karpenter 1.14 value)", () => {
    expect(JSON.stringify(release("karpenter").values)).not.toContain("webhook");
  });
});

describe("Langfuse's bundled ClickHouse", () => {
  test("runs one ZooKeeper for its one replica, not the chart's three", () => {
    const values = parseYaml(readRepoFile("platform/apps/langfuse/helm-values.yaml"));
    expect(dig(values, "clickhouse", "replicaCount")).toBe(1);
    expect(dig(values, "clickhouse", "zookeeper", "replicaCount")).toBe(1);
  });
});
