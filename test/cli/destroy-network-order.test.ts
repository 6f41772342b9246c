import { describe, expect, it, vi } from "vitest";
import { addLoadBalancerService, destroyPlatformPerTest } from "../fixtures/destroy/platform.js";
import { hasTerraform, skipNote } from "../support/tools.js";

vi.setConfig({ testTimeout: 400_000 });

const startPlatform = destroyPlatformPerTest();

describe.skipIf(!hasTerraform())(
  `aiplat destroy and ENIs that outlive their load balancer${skipNote("terraform", hasTerraform())}`,
  () => {
    it("no terraform destroy starts while the load balancer's ENIs are still in the VPC; once AWS releases them the same command finishes", async () => {
      // ENIs that linger far longer than usual (AWS says "some minutes"; hours have been seen).
      const platform = await startPlatform({ delays: { lbEniReleaseMinutes: 100_000 } });
      const { sim, run } = platform;
      expect((await run(["up", "--yes"])).exitCode).toBe(0);
      addLoadBalancerService(platform);
      await sim.settle();
      const lb = sim.ledger.loadBalancers()[0];
      const lbEnis = sim.ledger.enis().filter((e) => e.attachedTo === lb?.id);
      expect(lbEnis.length).toBeGreaterThan(0);

      const waiting = await run(["destroy", "--yes"]);
      expect(waiting.exitCode).toBe(5);
      expect(sim.ledger.loadBalancers()).toEqual([]);
      for (const eni of lbEnis) expect(waiting.stderr).toContain(`eni ${eni.id}`);
      expect(waiting.stderr).toContain("ENIs linger minutes after their load balancer");
      expect(waiting.stderr).toContain("Then resume with `aiplat destroy --env dev`");
      // Not one stage was touched: networking (and the cluster before it) wait for the ENIs.
      expect(sim.terraform.applied()).toEqual([
        "10.networking",
        "20.iam-roles-for-eks",
        "30.eks/30.cluster",
        "30.eks/35.addons",
      ]);

      // AWS releases them; the same command goes on from the load balancers.
      for (const eni of lbEnis) sim.ledger.delete(eni.id);
      const done = await run(["destroy", "--yes"]);
      expect(done.exitCode, done.stderr).toBe(0);
      expect(done.stderr).toContain("Resuming: the last run stopped at load-balancers");
      expect(sim.terraform.applied()).toEqual([]);
      expect(sim.ledger.hourlyCost()).toBe(0);
    });
  },
);
