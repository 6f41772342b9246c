import { describe, expect, it, vi } from "vitest";
import { gpuNodes } from "../fixtures/deploy/sim-platform.js";
import { addLoadBalancerService, destroyPlatformPerTest } from "../fixtures/destroy/platform.js";
import { hasTerraform, skipNote } from "../support/tools.js";

vi.setConfig({ testTimeout: 500_000 });

const startPlatform = destroyPlatformPerTest();

describe.skipIf(!hasTerraform())(
  `aiplat destroy, full lifecycle${skipNote("terraform", hasTerraform())}`,
  () => {
    it("two models and a LoadBalancer Service, then destroy: nothing bills, stages destroyed in reverse, exit 0", async () => {
      const platform = await startPlatform();
      const { sim, run } = platform;
      const up = await run(["up", "--yes"]);
      expect(up.exitCode, up.stderr).toBe(0);
      expect((await run(["deploy-model", "gemma-4b", "--wait", "--timeout", "8h"])).exitCode).toBe(0);
      expect((await run(["deploy-model", "qwen3-4b", "--wait", "--timeout", "8h"])).exitCode).toBe(0);
      addLoadBalancerService(platform);
      await sim.settle();
      expect(gpuNodes(sim).length).toBeGreaterThan(0);
      expect(sim.ledger.loadBalancers()).toHaveLength(1);
      expect(sim.ledger.hourlyCost()).toBeGreaterThan(1);

      const destroy = await run(["destroy", "--yes", "--json"]);
      expect(destroy.exitCode, destroy.stderr).toBe(0);
      const out = destroy.json() as { deleted: string[]; leftovers: unknown[]; hourlyCost: number };
      expect(out.leftovers).toEqual([]);
      expect(out.hourlyCost).toBe(0);
      await sim.settle();
      expect(sim.ledger.running()).toEqual([]);
      expect(sim.ledger.hourlyCost()).toBe(0);
      const stages = out.deleted.filter((d) => d.startsWith("Terraform stage")).map((d) => d.split(" ")[2]);
      expect(stages).toEqual([
        "40.observability/40.aws-native-observability",
        "30.eks/35.addons",
        "30.eks/30.cluster",
        "20.iam-roles-for-eks",
        "10.networking",
      ]);
      expect(out.deleted).toContain("InferenceEndpoint inference/gemma-4b");
      expect(out.deleted).toContain("Service ai-platform/public-chat (LoadBalancer)");
      expect(sim.litellm.registered()).toEqual([]);
    });
  },
);
