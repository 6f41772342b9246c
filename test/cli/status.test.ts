import { afterEach, describe, expect, it, vi } from "vitest";
import { type SimPlatform, startSimPlatform } from "../fixtures/deploy/sim-platform.js";
import { runCli } from "../support/cli.js";
import { ARGOCD_URL, writeInfrastructure } from "./status-platform.js";

let platform: SimPlatform | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await platform?.sim.stop();
  platform = undefined;
});

/** The simulator with its AWS face as the SDK's endpoint and its access key as the credentials. */
async function startPlatform(): Promise<SimPlatform> {
  platform = await startSimPlatform();
  for (const [k, v] of Object.entries(platform.sim.aws.env)) vi.stubEnv(k, v);
  return platform;
}
const SECTIONS = ["Infrastructure", "Cluster", "GitOps", "Endpoints", "GPU nodes", "LiteLLM"];

/** The lines of one section of the human screen (between its title and the next blank line). */
function section(stdout: string, title: string): string[] {
  const lines = stdout.split("\n");
  const start = lines.indexOf(title);
  if (start < 0) throw new Error(`no section ${title} in:\n${stdout}`);
  const end = lines.indexOf("", start);
  return lines.slice(start + 1, end < 0 ? undefined : end).map((l) => l.trim());
}

describe("aiplat status", () => {
  it("on an empty platform reads all six sections, in order, and --json carries the same", async () => {
    const { repo, env, sim } = await startPlatform();
    writeInfrastructure(repo.dir);

    const run = await runCli(["--env", "dev", "status"], { cwd: repo.dir, env });
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const titles = run.stdout.split("\n").filter((l) => SECTIONS.includes(l));
    expect(titles).toEqual(SECTIONS);

    const infra = section(run.stdout, "Infrastructure");
    expect(infra[0]).toMatch(/^STAGE\s+SWITCH\s+STATE\s+WHEN$/);
    expect(infra).toContainEqual(expect.stringMatching(/^10\.networking\s+on\s+applied\s+\S+ ago$/));
    expect(infra).toContainEqual(
      expect.stringMatching(/^40\.observability\/45\.aws-oss-observability\s+off\s+never\s+-$/),
    );
    expect(infra).toContain(
      "! 40.observability/40.aws-native-observability is switched off but was applied: it still holds resources.",
    );

    const cluster = section(run.stdout, "Cluster");
    expect(cluster.slice(0, 4)).toEqual([
      "aiplat-dev (us-east-1): EKS 1.33, ACTIVE",
      "capability ACK ack: ACTIVE",
      "capability ARGOCD argocd: ACTIVE",
      "capability KRO kro: ACTIVE",
    ]);
    expect(cluster[4]?.replace("ArgoCD: ", "")).toMatch(ARGOCD_URL);
    expect(cluster).toHaveLength(5);
    // Three EKS calls (DescribeCluster, ListCapabilities, DescribeCapability), whatever the size.
    expect(sim.aws.calls.filter((c) => c.service === "eks").map((c) => c.operation)).toEqual(
      expect.arrayContaining([
        "GET /clusters/aiplat-dev",
        "GET /clusters/aiplat-dev/capabilities",
        "GET /clusters/aiplat-dev/capabilities/argocd",
      ]),
    );
    expect(sim.aws.calls.filter((c) => c.service === "eks")).toHaveLength(3);

    const head = repo.git("rev-parse", "origin/main").trim();
    const gitops = section(run.stdout, "GitOps");
    expect(gitops[0]).toMatch(/^APP\s+SYNC\s+HEALTH\s+REVISION\s+BRANCH\s+MESSAGE$/);
    expect(gitops).toContainEqual(
      expect.stringMatching(new RegExp(`^litellm\\s+Synced\\s+Healthy\\s+${head.slice(0, 7)}\\s+at head$`)),
    );
    // The next step carries the user's --env (run at the end of this test).
    expect(section(run.stdout, "Endpoints")).toEqual([
      "No endpoints. Deploy one: aiplat deploy-model gemma-4b --env dev",
    ]);
    const gpu = section(run.stdout, "GPU nodes");
    expect(gpu[0]).toBe("No GPU nodes.");
    // Two m7i.large system nodes ($0.1008/h each) and the EKS control plane ($0.10/h).
    expect(gpu[1]).toMatch(/^GPU \$0\.00\/h · cluster \$0\.30\/h \(approximate on-demand prices/);
    expect(section(run.stdout, "LiteLLM")).toEqual(["healthy, database connected; 0 model(s): none"]);

    const json = (await runCli(["status", "--json"], { cwd: repo.dir, env })).json();
    expect(json.ok).toBe(true);
    const status = json.status as Record<string, { ok: boolean } & Record<string, unknown>>;
    expect(Object.keys(status)).toEqual([
      "infrastructure",
      "cluster",
      "gitops",
      "endpoints",
      "gpuNodes",
      "litellm",
    ]);
    for (const s of Object.values(status)) expect(s.ok).toBe(true);
    expect(status.cluster).toMatchObject({
      ok: true,
      name: "aiplat-dev",
      region: "us-east-1",
      version: "1.33",
      status: "ACTIVE",
      argocdUrl: expect.stringMatching(ARGOCD_URL),
    });
    expect(status.infrastructure?.stages).toContainEqual({
      stage: "40.observability/40.aws-native-observability",
      enabled: false,
      status: "done",
      at: "2026-01-01T10:00:00.000Z",
      holdsResources: true,
    });
    const apps = status.gitops?.applications as { app: string; behind?: boolean; revision?: string }[];
    expect(apps.find((a) => a.app === "litellm")).toMatchObject({ behind: false, revision: head });
    expect(status.endpoints).toEqual({ ok: true, endpoints: [], next: "aiplat deploy-model gemma-4b" });
    expect(status.gpuNodes).toMatchObject({
      ok: true,
      nodes: [],
      gpuHourlyUsd: 0,
      idleGpuHourlyUsd: 0,
      clusterHourlyUsd: 0.3,
    });
    expect(status.litellm).toEqual({
      ok: true,
      healthy: true,
      database: "connected",
      models: [],
      orphans: [],
    });

    const printed = section(run.stdout, "Endpoints")[0]?.replace("No endpoints. Deploy one: ", "") ?? "";
    const deploy = await runCli(printed.split(" ").slice(1), { cwd: repo.dir, env });
    expect(deploy.exitCode, deploy.stderr).toBe(0);
    await sim.settle();
    const after = (await runCli(["status", "--json"], { cwd: repo.dir, env })).json();
    const rows = (after.status as Record<string, { endpoints?: { name: string }[] }>).endpoints?.endpoints;
    expect(rows?.map((r) => r.name)).toEqual(["gemma-4b"]);
  }, 90_000);

  it("shows a failing endpoint, one mid-rollout, an idle GPU node and an orphan registration with its fix", async () => {
    const { repo, env, sim } = await startPlatform();
    writeInfrastructure(repo.dir);
    const deploy = (...args: string[]) => runCli(["deploy-model", ...args], { cwd: repo.dir, env });
    sim.kuberay.injectModelLoadError("broken", "CUDA out of memory while loading the weights");
    expect((await deploy("gemma-1b")).exitCode).toBe(0);
    expect((await deploy("broken", "--model", "google/gemma-3-1b-it")).exitCode).toBe(0);
    await sim.settle();
    // No GPU capacity anywhere: the third endpoint's worker stays Pending (mid-rollout).
    sim.karpenter.injectCapacityError("all");
    expect((await deploy("waiting", "--model", "google/gemma-3-1b-it")).exitCode).toBe(0);
    await sim.settle();
    // A GPU node that serves nothing: what Karpenter leaves until it consolidates it.
    sim.kube.store.apply(
      {
        apiVersion: "v1",
        kind: "Node",
        metadata: {
          name: "gpu-inference-idle1",
          labels: {
            "workload-type": "gpu-inference",
            "karpenter.sh/nodepool": "gpu-inference",
            "karpenter.sh/capacity-type": "on-demand",
            "node.kubernetes.io/instance-type": "g6.xlarge",
          },
        },
        status: { capacity: { "nvidia.com/gpu": "1" }, allocatable: { "nvidia.com/gpu": "1" } },
      },
      { fieldManager: "test", force: true },
    );
    // A registration whose endpoint is gone (an undeploy that could not reach LiteLLM).
    const registered = await fetch(`${sim.litellm.url}/model/new`, {
      method: "POST",
      headers: { Authorization: `Bearer ${sim.litellm.masterKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ model_name: "old-model", litellm_params: { model: "openai/old-model" } }),
    });
    expect(registered.status).toBe(200);
    // Two requests served by gemma-1b: LiteLLM's daily activity reports them (REQUESTS).
    for (let i = 0; i < 2; i++) {
      const chat = await fetch(`${sim.litellm.url}/v1/chat/completions`, {
        method: "POST",
        headers: { Authorization: `Bearer ${sim.litellm.masterKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ model: "gemma-1b", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(chat.status).toBe(200);
    }

    const run = await runCli(["status"], { cwd: repo.dir, env });
    expect(run.exitCode).toBe(0);
    const endpoints = section(run.stdout, "Endpoints");
    expect(endpoints[0]).toMatch(
      /^NAME\s+MODEL\s+STATE\s+READY\s+REPLICAS\s+GPUS\s+LITELLM\s+REQUESTS\s+AGE$/,
    );
    expect(endpoints).toContainEqual(
      expect.stringMatching(/^gemma-1b\s+google\/gemma-3-1b-it\s+ACTIVE\s+yes\s+1\/1-4\s+1\s+yes\s+2\s+\S+$/),
    );
    expect(endpoints).toContainEqual(
      expect.stringMatching(/^broken\s+google\/gemma-3-1b-it\s+\S+\s+no\s+1\/1-4\s+1\s+no\s+0\s+/),
    );
    expect(endpoints).toContainEqual(
      expect.stringMatching(/^waiting\s+google\/gemma-3-1b-it\s+\S+\s+no\s+0\/1-4\s+1\s+no\s+/),
    );
    expect(endpoints.find((l) => l.startsWith("broken:"))).toContain("CUDA out of memory");

    const gpu = section(run.stdout, "GPU nodes");
    expect(gpu).toContainEqual(
      expect.stringMatching(/^gpu-inference-idle1\s+g6\.xlarge\s+on-demand\s+\S+\s+idle\s+\$0\.80\/h$/),
    );
    expect(gpu.filter((l) => /\sgemma-1b\s/.test(l) || /\sbroken\s/.test(l))).toHaveLength(2);
    expect(gpu).toContain("! $0.80/h of GPU is idle.");

    const litellm = section(run.stdout, "LiteLLM");
    const orphan = litellm.find((l) => l.startsWith("! old-model"));
    expect(orphan).toBe(
      "! old-model is registered but no endpoint backs it. Remove it: aiplat undeploy-model old-model",
    );

    const json = (await runCli(["status", "--json"], { cwd: repo.dir, env })).json();
    const status = json.status as Record<string, Record<string, unknown>>;
    const rows = status.endpoints?.endpoints as {
      name: string;
      state: string;
      ready: boolean;
      replicas: object;
      requests?: number;
    }[];
    expect(rows.map((r) => [r.name, r.ready, r.replicas, r.requests])).toEqual([
      ["broken", false, { current: 1, min: 1, max: 4 }, 0],
      ["gemma-1b", true, { current: 1, min: 1, max: 4 }, 2],
      ["waiting", false, { current: 0, min: 1, max: 4 }, 0],
    ]);
    expect(rows.find((r) => r.name === "broken")?.state).toBe("IN_PROGRESS");
    expect(status.gpuNodes?.idleGpuHourlyUsd).toBe(0.8);
    expect(status.litellm?.orphans).toEqual([{ name: "old-model", fix: "aiplat undeploy-model old-model" }]);

    // The printed fix works, and the orphan is gone afterwards.
    const fix = await runCli(["undeploy-model", "old-model"], { cwd: repo.dir, env });
    expect(fix.exitCode).toBe(0);
    expect(fix.stdout).toContain("deregistered it from LiteLLM");
    const after = (await runCli(["status", "--json"], { cwd: repo.dir, env })).json();
    expect((after.status as Record<string, Record<string, unknown>>).litellm?.orphans).toEqual([]);
  }, 240_000);
});
