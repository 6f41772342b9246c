import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../support/sim/launch.js";

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "aiplat-launch-test-"));
  scratch.push(dir);
  return dir;
}

/** A dotenv file as a shell's `set -a; . file` would read it (values here are never quoted). */
function readEnv(path: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
  vi.restoreAllMocks();
});

describe("npm run test-cluster -- --simulate", () => {
  it("starts the simulated cluster with the platform's Applications and prints how to reach it", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(line);
    });
    stop = await main(["--simulate", "--time-scale", "5", "--seed", "2"]);
    const output = lines.join("\n");
    expect(output).toMatch(/simulated cluster API server: http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/platform git remote: .*origin\.git/);
    const url = /API server: (\S+)/.exec(output)?.[1];
    const res = await fetch(`${url}/apis/argoproj.io/v1alpha1/namespaces/argocd/applications`);
    const body = (await res.json()) as { items: { metadata: { name: string } }[] };
    expect(body.items.map((a) => a.metadata.name).sort()).toEqual([
      "gpu-operator",
      "kuberay-operator",
      "langfuse",
      "litellm",
      "open-webui",
      "workloads",
    ]);
  });

  it("starts only the API server without --simulate", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(line);
    });
    stop = await main([]);
    const url = /listening on (\S+)/.exec(lines.join("\n"))?.[1];
    const res = await fetch(`${url}/apis`);
    const groups = ((await res.json()) as { groups: { name: string }[] }).groups.map((g) => g.name);
    expect(groups).not.toContain("argoproj.io");
  });

  it("writes a dotenv file whose settings reach the cluster, the AWS face, LiteLLM, git and the control URL", async () => {
    const dir = tempDir();
    const envFile = join(dir, "sim.env");
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(line);
    });
    stop = await main(["--simulate", "--time-scale", "5", "--write-env", envFile]);
    const env = readEnv(envFile);
    expect(Object.keys(env).sort()).toEqual(
      [
        "AWS_ACCESS_KEY_ID",
        "AWS_ENDPOINT_URL",
        "AWS_REGION",
        "AWS_SECRET_ACCESS_KEY",
        "GIT_REMOTE",
        "KUBECONFIG",
        "LITELLM_URL",
        "SIM_CONTROL_URL",
      ].sort(),
    );
    expect(statSync(envFile).mode & 0o077).toBe(0);
    expect(lines.join("\n")).toContain(`AWS API: ${env.AWS_ENDPOINT_URL}`);
    expect(lines.join("\n")).toContain(`control: ${env.SIM_CONTROL_URL}`);
    expect(readFileSync(env.KUBECONFIG ?? "", "utf8")).toContain("server: http://127.0.0.1:");
    const ec2 = new EC2Client({
      region: env.AWS_REGION,
      endpoint: env.AWS_ENDPOINT_URL,
      credentials: {
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? "",
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "",
      },
    });
    expect((await ec2.send(new DescribeInstancesCommand({}))).Reservations).toHaveLength(2);
    const ledger = (await (await fetch(`${env.SIM_CONTROL_URL}/ledger`)).json()) as { hourlyUsd: number };
    expect(ledger.hourlyUsd).toBeGreaterThan(0);
    expect((await fetch(`${env.LITELLM_URL}/health/liveliness`)).status).toBe(200);
    expect(execFileSync("git", ["ls-remote", env.GIT_REMOTE ?? ""]).toString()).toMatch(/refs\/heads\/main/);
  });

  it("keeps the git remote in a chosen folder, reused by the next start", async () => {
    const remote = join(tempDir(), "platform.git");
    vi.spyOn(console, "log").mockImplementation(() => undefined);
    stop = await main(["--simulate", "--time-scale", "5", "--remote", remote, "--no-bootstrap"]);
    const first = execFileSync("git", ["rev-parse", "main"], { cwd: remote }).toString().trim();
    await stop();
    stop = await main(["--simulate", "--time-scale", "5", "--remote", remote, "--no-bootstrap"]);
    expect(execFileSync("git", ["rev-parse", "main"], { cwd: remote }).toString().trim()).toBe(first);
    await stop();
    stop = undefined;
    // The folder survives the launcher.
    expect(statSync(remote).isDirectory()).toBe(true);
    const notARepo = tempDir();
    execFileSync("touch", [join(notARepo, "file")]);
    await expect(main(["--simulate", "--remote", notARepo])).rejects.toThrow(/not a bare git repository/);
  });

  it("--work leaves a clone of the remote, kept by the next start; a folder that is something else is refused", async () => {
    const dir = tempDir();
    const remote = join(dir, "remote.git");
    const work = join(dir, "work");
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => {
      lines.push(line);
    });
    const args = ["--simulate", "--time-scale", "5", "--no-bootstrap", "--remote", remote, "--work", work];
    stop = await main(args);
    expect(lines.join("\n")).toContain(`working copy: ${work} (cloned`);
    // argocd/ there already points at the remote (the simulated ArgoCD clones nothing else).
    expect(readFileSync(join(work, "argocd", "workloads.yaml"), "utf8")).toContain(
      `repoURL: file://${remote}`,
    );
    await stop();
    stop = await main(args);
    expect(lines.join("\n")).toContain(`working copy: ${work} (kept`);
    await stop();
    stop = undefined;
    const other = tempDir();
    execFileSync("touch", [join(other, "file")]);
    await expect(main(["--simulate", "--remote", remote, "--work", other])).rejects.toThrow(/not a clone of/);
  });

  it("prints one JSON document of the URLs with --json, the human lines on stderr", async () => {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => {
      out.push(line);
    });
    vi.spyOn(console, "error").mockImplementation((line: string) => {
      err.push(line);
    });
    stop = await main(["--simulate", "--time-scale", "5", "--json", "--no-bootstrap"]);
    expect(out).toHaveLength(1);
    const doc = JSON.parse(out[0] ?? "") as Record<string, string>;
    expect(Object.keys(doc).sort()).toEqual(
      ["apiServer", "awsEndpointUrl", "controlUrl", "gitRemote", "kubeconfig", "litellmUrl"].sort(),
    );
    expect(err.join("\n")).toContain(doc.controlUrl);
  });
});
