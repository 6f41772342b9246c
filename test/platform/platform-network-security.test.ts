/**
 * Issue 17 point 10: the Ray dashboard and Jobs API were open to every pod of the cluster, with
 * the HF token on the head (the ShadowRay class of attack), and nothing enforced NetworkPolicies.
 * Each test fails if one of the three layers comes back off.
 */
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { repoRoot } from "../support/paths.js";
import { RGD_PATH } from "./support/crd-fixtures.js";
import { selectDirectoryFiles } from "./support/manifests-glob.js";
import { dig, type KubeObject, loadManifests } from "./support/manifests-load.js";
import { asRecord, loadStage } from "./support/terraform-load.js";

const POLICIES_PATH = "platform/namespaces/inference-network-policies.yaml";
const policies = loadManifests([POLICIES_PATH])
  .map((m) => m.object)
  .filter((o) => o.kind === "NetworkPolicy");

interface PolicyRule {
  from?: Array<Record<string, unknown>>;
  ports?: Array<{ protocol?: string; port?: number | string }>;
}

const rulesOf = (policy: KubeObject) => (dig(policy, "spec", "ingress") ?? []) as PolicyRule[];

describe("Ray token authentication on every endpoint", () => {
  const rgd = loadManifests([RGD_PATH])[0]?.object as KubeObject;
  const rayService = (dig(rgd, "spec", "resources") as Array<{ id: string; template: KubeObject }>).find(
    (r) => r.id === "rayservice",
  )?.template;

  test("the RayService's cluster sets authOptions.mode: token", () => {
    expect(dig(rayService, "spec", "rayClusterConfig", "authOptions")).toEqual({ mode: "token" });
  });

  test("its Ray version has token authentication (Ray 2.52 or newer)", () => {
    const version = String(dig(rayService, "spec", "rayClusterConfig", "rayVersion"));
    const [major, minor] = version.split(".").map(Number);
    expect((major ?? 0) > 2 || ((major ?? 0) === 2 && (minor ?? 0) >= 52)).toBe(true);
  });
});

describe("NetworkPolicies are enforced", () => {
  test('the vpc-cni add-on is configured with enableNetworkPolicy = "true" and the module gets it', async () => {
    const stage = await loadStage(join(repoRoot, "terraform"), "30.eks/30.cluster");
    const locals = stage.files.flatMap((f) => (Array.isArray(f.json.locals) ? f.json.locals : []));
    const switches = asRecord(locals.map((l) => asRecord(l).addon_switches).find(Boolean));
    const vpcCni = asRecord(switches["vpc-cni"]);
    expect(String(vpcCni.configuration)).toMatch(
      /^\$\{jsonencode\(\{\s*enableNetworkPolicy\s*=\s*"true"\s*\}\)\}$/,
    );
    const addons = String(locals.map((l) => asRecord(l).eks_addons).find(Boolean));
    expect(addons).toMatch(/configuration_values\s*=\s*a\.configuration/);
  });

  test("EKS Auto Mode (no vpc-cni add-on) turns the network policy controller on by ConfigMap", async () => {
    const stage = await loadStage(join(repoRoot, "terraform"), "30.eks/30.cluster");
    const manifests = stage.files.flatMap((f) =>
      Object.entries(asRecord(asRecord(f.json.resource).kubectl_manifest)),
    );
    const autoMode = manifests.find(([name]) => name === "auto_mode_network_policy");
    const body = JSON.stringify(autoMode?.[1]);
    expect(body).toContain("var.cluster_config.eks_auto_mode ? 1 : 0");
    expect(body).toMatch(/enable-network-policy-controller\\?"\s*=\s*\\?"true/);
    expect(body).toContain("amazon-vpc-cni");
  });
});

describe("the inference namespace admits only what must reach it", () => {
  test("the workloads Application syncs the policies, before the InferenceEndpoint definition", () => {
    const workloads = loadManifests(["argocd/workloads.yaml"])[0]?.object;
    const directory = dig(workloads, "spec", "source", "directory") as Parameters<
      typeof selectDirectoryFiles
    >[1];
    for (const starCrossesSlash of [false, true]) {
      expect(
        selectDirectoryFiles(["namespaces/inference-network-policies.yaml"], directory, starCrossesSlash),
      ).toHaveLength(1);
    }
    for (const p of policies) {
      expect(p.metadata?.namespace).toBe("inference");
      expect(Number(p.metadata?.annotations?.["argocd.argoproj.io/sync-wave"])).toBeLessThan(0);
    }
  });

  test("a default deny selects every pod for ingress", () => {
    const deny = policies.filter(
      (p) =>
        JSON.stringify(dig(p, "spec", "podSelector")) === "{}" &&
        (dig(p, "spec", "policyTypes") as string[]).includes("Ingress") &&
        rulesOf(p).length === 0,
    );
    expect(deny).toHaveLength(1);
  });

  test("every allowance names its source; none is open to everyone or to an address range", () => {
    for (const p of policies) {
      for (const rule of rulesOf(p)) {
        expect(rule.from ?? [], `${p.metadata?.name}: a rule without from admits everyone`).not.toEqual([]);
        for (const peer of rule.from ?? []) {
          expect(peer.ipBlock, `${p.metadata?.name}: ipBlock`).toBeUndefined();
          expect(
            JSON.stringify(peer),
            `${p.metadata?.name}: {} namespaceSelector admits every namespace`,
          ).not.toMatch(/"namespaceSelector":\{\}/);
        }
      }
    }
  });

  test("from other namespaces: LiteLLM to Serve (8000), the KubeRay operator to the dashboard (8265) and Serve", () => {
    const outside = policies.flatMap((p) =>
      rulesOf(p).flatMap((rule) =>
        (rule.from ?? [])
          .filter((peer) => peer.namespaceSelector)
          .map((peer) => ({
            namespace: dig(peer, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name"),
            pods: dig(peer, "podSelector", "matchLabels"),
            ports: (rule.ports ?? []).map((x) => x.port).sort(),
          })),
      ),
    );
    expect(outside).toEqual([
      { namespace: "ai-platform", pods: { "app.kubernetes.io/name": "litellm" }, ports: [8000] },
      { namespace: "kuberay-system", pods: undefined, ports: [8000, 8265] },
    ]);
  });
});
