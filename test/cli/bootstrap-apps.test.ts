import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DescribeCapabilityCommand, EKSClient } from "@aws-sdk/client-eks";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { pointArgocdAtRemote } from "../support/argocd-remote.js";
import { testAwsFactory, testAwsProfile } from "../support/aws.js";
import { runCli } from "../support/cli.js";
import { makeTestRepo } from "../support/git-repo.js";
import { type KubeServer, startKubeServer } from "../support/kube/index.js";
import { repoRoot } from "../support/paths.js";
import { installCrds } from "../support/sim/crds.js";
import { type SimulatedCluster, startSimulatedCluster } from "../support/sim/index.js";
import { makeTempDir } from "../support/temp.js";

const APPS = ["gpu-operator", "kuberay-operator", "langfuse", "litellm", "open-webui", "workloads"];
const APP_REF = { apiVersion: "argoproj.io/v1alpha1", kind: "Application", namespace: "argocd" };

let kube: KubeServer | undefined;
let sim: SimulatedCluster | undefined;
afterEach(async () => {
  await kube?.stop();
  await sim?.stop();
  kube = undefined;
  sim = undefined;
});

/** The test API server with the CRDs but no controllers: the test plays ArgoCD through the store. */
async function startBareCluster() {
  kube = await startKubeServer();
  installCrds(kube.store);
  kube.store.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "argocd" } });
  const kubeconfig = join(makeTempDir("aiplat-kc-"), "kubeconfig");
  kube.kubeconfig(kubeconfig);
  return { kube, kubeconfig };
}

function setStatus(server: KubeServer, name: string, status: Record<string, unknown>) {
  server.store.patch({ ...APP_REF, name }, { status }, "merge", {
    subresource: "status",
    fieldManager: "test-argocd",
  });
}

/** Resolves once bootstrap has applied every Application (it then starts watching). */
async function appsApplied(server: KubeServer) {
  for (let i = 0; i < 500; i++) {
    const names = server.store.list(APP_REF, { namespace: "argocd" }).map((a) => a.metadata?.name);
    if (APPS.every((a) => names.includes(a))) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("bootstrap never applied the Applications");
}

/** A fork after `aiplat init`: argocd/ points at its remote. */
function platformRepo() {
  const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["argocd", "platform", "templates"] });
  pointArgocdAtRemote(repo);
  return repo;
}

describe("aiplat bootstrap", () => {
  it("server-side applies argocd/ as field manager aiplat and finishes when every app is Synced and Healthy", async () => {
    const repo = platformRepo();
    const { kube: server, kubeconfig } = await startBareCluster();
    const running = runCli(["--kubeconfig", kubeconfig, "--json", "bootstrap", "--timeout", "1m"], {
      cwd: repo.dir,
    });
    await appsApplied(server);
    for (const name of APPS.slice(1))
      setStatus(server, name, { sync: { status: "Synced" }, health: { status: "Healthy" } });
    setStatus(server, "gpu-operator", {
      sync: { status: "Synced" },
      health: { status: "Progressing", message: "waiting for rollout" },
    });
    await new Promise((r) => setTimeout(r, 100));
    setStatus(server, "gpu-operator", { sync: { status: "Synced" }, health: { status: "Healthy" } });
    const result = await running;
    expect(result.exitCode, result.stderr).toBe(0);
    const out = result.json();
    expect(
      (out.applications as { app: string; sync: string; health: string }[]).map((a) => [
        a.app,
        a.sync,
        a.health,
      ]),
    ).toEqual(APPS.map((a) => [a, "Synced", "Healthy"]));
    const managers = (server.store.get({ ...APP_REF, name: "litellm" }).metadata?.managedFields ?? []) as {
      manager: string;
      operation: string;
    }[];
    expect(managers.some((m) => m.manager === "aiplat" && m.operation === "Apply")).toBe(true);
  });

  it("fails fast when an app turns Degraded, with ArgoCD's message", async () => {
    const repo = platformRepo();
    const { kube: server, kubeconfig } = await startBareCluster();
    const running = runCli(["--kubeconfig", kubeconfig, "bootstrap", "--timeout", "10m"], { cwd: repo.dir });
    await appsApplied(server);
    setStatus(server, "litellm", {
      sync: { status: "Synced" },
      health: { status: "Degraded", message: "Deployment litellm exceeded its progress deadline" },
    });
    const result = await running;
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toContain(
      "Application litellm is Degraded: Deployment litellm exceeded its progress deadline",
    );
    expect(result.stderr).toContain(`aiplat bootstrap --env dev --kubeconfig ${kubeconfig}`);
    expect(result.stderr).toContain(`kubectl --kubeconfig ${kubeconfig} -n argocd describe application`);
  });

  it("on timeout names the apps that are not ready and what to look at", async () => {
    const repo = platformRepo();
    const { kube: server, kubeconfig } = await startBareCluster();
    const running = runCli(["--kubeconfig", kubeconfig, "bootstrap", "--timeout", "2s"], { cwd: repo.dir });
    await appsApplied(server);
    for (const name of APPS.filter((a) => a !== "langfuse"))
      setStatus(server, name, { sync: { status: "Synced" }, health: { status: "Healthy" } });
    setStatus(server, "langfuse", {
      sync: { status: "OutOfSync" },
      health: { status: "Progressing" },
      conditions: [{ type: "SyncError", message: "waiting for clickhouse" }],
    });
    const result = await running;
    expect(result.exitCode).toBe(5);
    expect(result.stderr).toMatch(
      /Timed out after 2s waiting for 1 application\(s\).*langfuse \(OutOfSync\/Progressing: waiting for clickhouse\)/,
    );
    expect(result.stderr).not.toMatch(/litellm \(/);
    expect(result.stderr).toContain("--timeout 30m");
  });

  it("Ctrl-C while waiting exits 130 with the command that resumes watching", async () => {
    const repo = platformRepo();
    const { kube: server, kubeconfig } = await startBareCluster();
    const controller = new AbortController();
    const running = runCli(["--kubeconfig", kubeconfig, "bootstrap"], {
      cwd: repo.dir,
      signal: controller.signal,
    });
    await appsApplied(server);
    controller.abort();
    const result = await running;
    expect(result.exitCode).toBe(130);
    // The resume command keeps the user's --kubeconfig (issue 18 point 12), and running it resumes.
    const resume = /`(aiplat bootstrap[^`]*)`/.exec(result.stderr)?.[1];
    expect(resume).toBe(`aiplat bootstrap --env dev --kubeconfig ${kubeconfig}`);
    const resumed = runCli(resume!.split(" ").slice(1), { cwd: repo.dir });
    for (const name of APPS)
      setStatus(server, name, { sync: { status: "Synced" }, health: { status: "Healthy" } });
    expect((await resumed).exitCode).toBe(0);
  });

  it("without a kubeconfig or cluster outputs, says to run aiplat up first (exit 4)", async () => {
    const repo = platformRepo();
    const result = await runCli(["bootstrap"], {
      cwd: repo.dir,
      env: { PATH: process.env.PATH, HOME: makeTempDir() },
    });
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toContain("aiplat up --env dev");
  });
});

describe("aiplat bootstrap without --kubeconfig", () => {
  const eks = mockClient(EKSClient);
  afterEach(() => eks.reset());

  it("reaches the cluster recorded by aiplat up with an EKS token, and prints the managed ArgoCD URL", async () => {
    const repo = platformRepo();
    const { kube: server } = await startBareCluster();
    mkdirSync(join(repo.dir, ".aiplat", "dev"), { recursive: true });
    writeFileSync(
      join(repo.dir, ".aiplat", "dev", "cluster.json"),
      JSON.stringify({
        cluster_name: "ai-platform-dev",
        cluster_endpoint: server.url,
        cluster_certificate_authority_data: Buffer.from("unused for http").toString("base64"),
        region: "eu-central-1",
        argocd_capability_name: "ai-platform-dev-argocd",
      }),
    );
    eks.on(DescribeCapabilityCommand).resolves({
      capability: {
        configuration: {
          argoCd: { serverUrl: "https://abc123.eks-capabilities.eu-central-1.amazonaws.com" },
        },
      },
    } as never);
    const running = runCli(["--env", "dev", "bootstrap", "--timeout", "1m"], {
      cwd: repo.dir,
      env: { PATH: process.env.PATH, HOME: makeTempDir() },
      adapters: { aws: testAwsFactory(), awsProfile: testAwsProfile() },
    });
    await appsApplied(server);
    for (const name of APPS)
      setStatus(server, name, { sync: { status: "Synced" }, health: { status: "Healthy" } });
    const result = await running;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain("ArgoCD: https://abc123.eks-capabilities.eu-central-1.amazonaws.com");
    expect(eks.commandCalls(DescribeCapabilityCommand)[0]?.args[0].input).toEqual({
      clusterName: "ai-platform-dev",
      capabilityName: "ai-platform-dev-argocd",
    });
  });
});

describe("aiplat bootstrap before init pointed argocd/ at the fork (issue 18 point 7)", () => {
  it("refuses the placeholder repoURL with exit 3, applying nothing, and names init with the user's flags", async () => {
    const repo = makeTestRepo({ copyFrom: repoRoot, copy: ["argocd", "platform", "templates"] });
    const { kube: server, kubeconfig } = await startBareCluster();
    const result = await runCli(["--kubeconfig", kubeconfig, "--json", "bootstrap"], { cwd: repo.dir });
    expect(result.exitCode).toBe(3);
    const error = (result.json() as { error: { message: string; hint: string } }).error;
    expect(error.message).toContain("placeholder repository");
    for (const app of ["litellm", "workloads"]) expect(error.message).toContain(app);
    expect(error.hint).toContain(`aiplat init --kubeconfig ${kubeconfig}`);
    expect(server.store.list(APP_REF, { namespace: "argocd" })).toEqual([]);
  });
});

describe("aiplat bootstrap on the simulated cluster", () => {
  it("applies the platform's argocd/ and waits while the simulated ArgoCD syncs every app to Healthy", async () => {
    const repo = platformRepo();
    // 50 ms per simulated minute (default 20): the platform's Deployments have the real 10-minute
    // progress deadline, and on a 2-core machine running the suite in parallel 200 ms of real time
    // was seen to pass before litellm's pod was reconciled (Degraded: ProgressDeadlineExceeded).
    sim = await startSimulatedCluster({ gitRemote: repo.remote, seed: 11, timeScale: 50 });
    const result = await runCli(
      ["--kubeconfig", sim.kubeconfigPath, "--json", "bootstrap", "--timeout", "2m"],
      {
        cwd: repo.dir,
      },
    );
    expect(result.exitCode, result.stdout).toBe(0);
    const apps = result.json().applications as { app: string; health: string }[];
    expect(apps.map((a) => a.app)).toEqual(APPS);
    expect(apps.every((a) => a.health === "Healthy")).toBe(true);
    expect(sim.failures).toEqual([]);
  });
});
