import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  addLoadBalancerService,
  type DestroyPlatform,
  destroyPlatformPerTest,
} from "../fixtures/destroy/platform.js";
import { makeTempDir } from "../support/temp.js";
import { hasTerraform, skipNote } from "../support/tools.js";

vi.setConfig({ testTimeout: 400_000 });

const startPlatform = destroyPlatformPerTest();

/** The simulator's kubeconfig with the API server moved to a closed port (private endpoint, no VPN). */
function unreachableKubeconfig(p: DestroyPlatform): string {
  const path = join(makeTempDir("aiplat-kube-"), "config");
  writeFileSync(
    path,
    readFileSync(p.sim.kubeconfigPath, "utf8").replace(/server: \S+/, "server: https://127.0.0.1:9"),
  );
  return path;
}

describe.skipIf(!hasTerraform())(
  `aiplat destroy when the cluster does not answer${skipNote("terraform", hasTerraform())}`,
  () => {
    it("says so and goes on with the AWS side; what the cluster's controllers left is found through AWS, and --sweep clears it", async () => {
      const platform = await startPlatform();
      const { sim, run } = platform;
      expect((await run(["up", "--yes"])).exitCode).toBe(0);
      addLoadBalancerService(platform);
      await sim.settle();
      const lb = sim.ledger.loadBalancers()[0];
      expect(lb).toBeDefined();
      const env = { KUBECONFIG: unreachableKubeconfig(platform) };

      // No way to delete the Service in the cluster: the LB controller goes with the add-ons
      // stage and leaves the load balancer, which then holds the VPC.
      const first = await run(["destroy", "--yes"], { env });
      expect(first.exitCode).toBe(5);
      expect(first.stderr).toContain("The cluster does not answer (cluster unreachable through");
      expect(first.stderr).toContain("the in-cluster steps are skipped");
      expect(first.stderr).toContain("terraform destroy of 10.networking failed with DependencyViolation");
      expect(first.stderr).toContain(
        `(${lb?.name}) network active — made by aws-load-balancer-controller, $0.0225/h`,
      );
      expect(first.stderr).toContain("`aiplat destroy --env dev --sweep` deletes what is named through AWS");
      expect(sim.terraform.applied()).toEqual(["10.networking"]);

      const swept = await run(["destroy", "--yes", "--sweep"], { env });
      expect(swept.exitCode, swept.stderr).toBe(0);
      expect(swept.stderr).toContain("Resuming: the last run stopped at stage:10.networking");
      expect(swept.stderr).toContain("10.networking: deleting the");
      expect(swept.stdout).toMatch(/deleted: load-balancer arn:aws:elasticloadbalancing:\S+ \(swept\)/);
      expect(swept.stdout).toContain("deleted: Terraform stage 10.networking");
      expect(sim.terraform.applied()).toEqual([]);
      await sim.settle();
      expect(sim.ledger.hourlyCost()).toBe(0);
    });
  },
);
