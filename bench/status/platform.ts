/**
 * What both status benchmarks run against: a platform folder (stages, journal, cluster outputs), a
 * test API server seeded with 200 endpoints and 50 GPU nodes and the simulator's AWS face for EKS,
 * and the environment for the `aiplat` child process — only the face's endpoint and credentials,
 * so a benchmark never reaches a real account.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeInfrastructure } from "../../test/cli/status-platform.js";
import { type SeededPlatform, startSeededPlatform } from "../../test/cli/status-seed.js";

export interface StatusBenchPlatform {
  /** This checkout (bin/aiplat.js runs from here). */
  root: string;
  /** The platform folder the child runs in (`--root`). */
  dir: string;
  seeded: SeededPlatform;
  env: Record<string, string | undefined>;
}

export async function startStatusBenchPlatform(): Promise<StatusBenchPlatform> {
  const dir = mkdtempSync(join(tmpdir(), "aiplat-bench-status-"));
  writeInfrastructure(dir);
  for (const folder of ["platform", "argocd"]) mkdirSync(join(dir, folder));
  const seeded = await startSeededPlatform(200, 50);
  const kubeconfig = join(dir, "kubeconfig");
  seeded.kube.kubeconfig(kubeconfig);
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    NO_COLOR: "1",
    KUBECONFIG: kubeconfig,
    AWS_CONFIG_FILE: join(dir, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, "no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    ...seeded.awsEnv,
  };
  return { root: join(import.meta.dirname, "..", ".."), dir, seeded, env };
}
