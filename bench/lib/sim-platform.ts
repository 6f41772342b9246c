/**
 * A platform repository with a bare origin and a simulated cluster whose ArgoCD Applications
 * follow it, for benches (no vitest helpers: benches run under tsx). `stages` also copies the
 * offline fixture Terraform stages (test/fixtures/stages) with the region the AWS face serves.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import type { KubeObject } from "../../test/support/kube/index.js";
import { type SimulatedClusterOptions, startSimulatedCluster } from "../../test/support/sim/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@example.invalid",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};

export async function startBenchPlatform(options: SimulatedClusterOptions & { stages?: boolean } = {}) {
  const base = mkdtempSync(join(tmpdir(), "aiplat-bench-"));
  const remote = join(base, "origin.git");
  const dir = join(base, "work");
  const env = { ...GIT_ENV, HOME: base };
  const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env, stdio: "pipe" });
  mkdirSync(remote);
  git(remote, "init", "-q", "--bare", "--initial-branch=main");
  mkdirSync(dir);
  git(dir, "init", "-q", "--initial-branch=main");
  for (const name of ["argocd", "platform", "templates"])
    cpSync(join(ROOT, name), join(dir, name), { recursive: true });
  if (options.stages) {
    cpSync(join(ROOT, "test", "fixtures", "stages", "terraform"), join(dir, "terraform"), {
      recursive: true,
    });
    const tfvars = join(dir, "terraform", "00.global", "vars", "dev.tfvars");
    writeFileSync(tfvars, readFileSync(tfvars, "utf8").replace('"eu-central-1"', '"us-east-1"'));
  } else {
    mkdirSync(join(dir, "terraform"));
    writeFileSync(join(dir, "terraform", ".keep"), "");
  }
  writeFileSync(join(dir, ".gitignore"), ".aiplat/\n");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "initial");
  git(dir, "remote", "add", "origin", remote);
  git(dir, "push", "-q", "-u", "origin", "main");
  const { stages: _stages, ...simOptions } = options;
  const sim = await startSimulatedCluster(simOptions);
  for (const file of readdirSync(join(dir, "argocd")).filter((f) => f.endsWith(".yaml"))) {
    const text = readFileSync(join(dir, "argocd", file), "utf8").replaceAll(
      "https://example.invalid/set-by-aiplat-init.git",
      `file://${remote}`,
    );
    sim.kube.store.apply(parse(text) as KubeObject, { fieldManager: "bench", force: true });
  }
  await sim.settle({ timeoutMs: 120_000 });
  return {
    dir,
    sim,
    env: { ...env, PATH: process.env.PATH, NO_COLOR: "1", KUBECONFIG: sim.kubeconfigPath },
    cleanup: async () => {
      await sim.stop();
      rmSync(base, { recursive: true, force: true });
    },
  };
}
