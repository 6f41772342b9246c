import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../support/cli.js";
import { gitTestEnv, makeTestRepo } from "../support/git-repo.js";
import { withoutAwsCredentials, writeInfrastructure } from "./status-platform.js";
import { type SeededPlatform, startSeededPlatform } from "./status-seed.js";

let seeded: SeededPlatform | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await seeded?.stop();
  seeded = undefined;
});

/** A platform repository; unless told otherwise, nowhere for the SDK to find AWS credentials. */
function repoWithInfrastructure(options: { clusterCache?: boolean; credentials?: boolean } = {}) {
  const repo = makeTestRepo();
  writeInfrastructure(repo.dir, options);
  if (options.credentials !== true) withoutAwsCredentials(vi.stubEnv, join(repo.dir, ".."));
  return { repo, env: { ...gitTestEnv(join(repo.dir, "..")), PATH: process.env.PATH, NO_COLOR: "1" } };
}

describe("aiplat status when parts cannot be reached", () => {
  it("before the cluster is up: Infrastructure shows, every other section says why, exit 5", async () => {
    const { repo, env } = repoWithInfrastructure({ clusterCache: false });
    // --env is carried into the command the reason prints.
    const run = await runCli(["--env", "dev", "status"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(5);
    expect(run.stdout).toMatch(/Infrastructure\n\s+STAGE\s+SWITCH/);
    expect(run.stdout).toContain(
      "Cluster\n  unavailable: cluster not up yet: no cluster outputs for environment dev (run `aiplat up --env dev`).",
    );
    for (const title of ["GitOps", "Endpoints", "GPU nodes"])
      expect(run.stdout).toContain(`${title}\n  unavailable: cluster not configured`);
    expect(run.stderr).toContain(
      "Some sections could not be read: Cluster, GitOps, Endpoints, GPU nodes, LiteLLM.",
    );
    const json = await runCli(["--env", "dev", "status", "--json"], { cwd: repo.dir, env });
    expect(json.exitCode).toBe(5);
    const doc = json.json() as {
      ok: boolean;
      status: Record<string, { ok: boolean; reason?: string }>;
      error: { code: string };
    };
    expect(doc.ok).toBe(false);
    expect(doc.error.code).toBe("status-incomplete");
    expect(doc.status.infrastructure?.ok).toBe(true);
    expect(doc.status.cluster).toEqual({
      ok: false,
      reason: "cluster not up yet: no cluster outputs for environment dev (run `aiplat up --env dev`).",
    });
  });

  it("without AWS credentials and with the cluster unreachable, says so per section", async () => {
    const { repo, env } = repoWithInfrastructure();
    // A kubeconfig whose server refuses connections (nothing listens on port 9 of localhost).
    const kubeconfig = join(repo.dir, "..", "dead.kubeconfig");
    writeFileSync(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: dead, cluster: {server: 'https://127.0.0.1:9', insecure-skip-tls-verify: true}}]",
        "users: [{name: dead, user: {token: t}}]",
        "contexts: [{name: dead, context: {cluster: dead, user: dead}}]",
        "current-context: dead",
      ].join("\n"),
    );
    const run = await runCli(["status", "--kubeconfig", kubeconfig], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(5);
    expect(run.stdout).toMatch(
      /Cluster\n {2}unavailable: no AWS credentials: Could not load credentials from any providers/,
    );
    expect(run.stdout).toMatch(
      /GitOps\n {2}unavailable: cluster unreachable through kubeconfig .*dead\.kubeconfig, context dead/,
    );
    expect(run.stdout).toMatch(/LiteLLM\n {2}unavailable: cluster unreachable/);
  }, 60_000);

  it("makes as many API requests for 200 endpoints and 50 GPU nodes as for 2 and 1", async () => {
    const { repo, env } = repoWithInfrastructure({ credentials: true });
    const count = async (endpoints: number, nodes: number) => {
      seeded = await startSeededPlatform(endpoints, nodes);
      const requests: string[] = [];
      seeded.kube.server.on("request", (req) => requests.push(`${req.method} ${req.url?.split("?")[0]}`));
      seeded.kube.server.on("upgrade", (req) => requests.push(`UPGRADE ${req.url?.split("?")[0]}`));
      for (const [k, v] of Object.entries(seeded.awsEnv)) vi.stubEnv(k, v);
      const kubeconfig = join(repo.dir, "..", `seeded-${endpoints}.kubeconfig`);
      seeded.kube.kubeconfig(kubeconfig);
      const run = await runCli(["status", "--json"], {
        cwd: repo.dir,
        env: { ...env, KUBECONFIG: kubeconfig },
      });
      expect(run.exitCode, run.stdout).toBe(0);
      const doc = run.json() as { status: Record<string, Record<string, unknown[]>> };
      expect(doc.status.cluster?.capabilities).toHaveLength(3);
      expect(doc.status.endpoints?.endpoints, JSON.stringify(doc.status.endpoints)).toHaveLength(endpoints);
      expect(doc.status.gpuNodes?.nodes, JSON.stringify(doc.status.gpuNodes)).toHaveLength(nodes);
      expect(doc.status.litellm?.models, JSON.stringify(doc.status.litellm)).toHaveLength(endpoints);
      for (const call of seeded.aws.calls) requests.push(`AWS ${call.service} ${call.operation}`);
      await seeded.stop();
      seeded = undefined;
      return requests.sort();
    };
    const small = await count(2, 1);
    const large = await count(200, 50);
    expect(large).toEqual(small);
    expect(small.length).toBeLessThan(25);
  }, 120_000);
});
