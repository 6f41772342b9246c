import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { destroyPlatformPerTest } from "../fixtures/destroy/platform.js";
import { startKmsStandin } from "../support/kms-standin.js";
import { startS3Standin } from "../support/s3-standin.js";
import { hasTerraform, skipNote } from "../support/tools.js";

vi.setConfig({ testTimeout: 400_000 });

const BUCKET = "tfstate-123456789012";
const startPlatform = destroyPlatformPerTest();
let s3: Awaited<ReturnType<typeof startS3Standin>> | undefined;
let kms: Awaited<ReturnType<typeof startKmsStandin>> | undefined;
afterEach(async () => {
  await s3?.close();
  await kms?.close();
  s3 = undefined;
  kms = undefined;
});

const S3_SETTINGS = (endpoint: string) => `endpoints                   = { s3 = "${endpoint}" }
    use_path_style              = true
    skip_credentials_validation = true
    skip_region_validation      = true
    skip_requesting_account_id  = true
    skip_metadata_api_check     = true`;

/**
 * The fixture stages' backend and their remote-state reads moved to S3 (the stand-in, path-style),
 * keyed as aiplat keys them (`<stage>/terraform.tfstate`), as the real stages have it.
 */
function useS3Backend(terraformDir: string, endpoint: string): void {
  for (const name of readdirSync(terraformDir, { recursive: true }) as string[]) {
    const file = join(terraformDir, name);
    if (!name.endsWith(".tf") || !statSync(file).isFile()) continue;
    if (name.endsWith("main.tf")) {
      const stageDir = dirname(file);
      const text = readFileSync(file, "utf8").replace(
        /backend\s*=\s*"local"(\s*workspace\s*=\s*terraform\.workspace\s*)config = \{\s*\n\s*path\s*=\s*"\$\{path\.module\}\/([^"]+)\/terraform\.tfstate"\s*\n(?:\s*workspace_dir\s*=.*\n)?\s*\}/g,
        (_all, workspace: string, rel: string) =>
          `backend = "s3"${workspace}config = {
    bucket = "${BUCKET}"
    key    = "${relative(terraformDir, join(stageDir, rel))}/terraform.tfstate"
    region = "us-east-1"
    ${S3_SETTINGS(endpoint)}
  }`,
      );
      writeFileSync(file, text);
      continue;
    }
    if (!name.endsWith("backend.tf")) continue;
    writeFileSync(
      join(terraformDir, name),
      `terraform {
  backend "s3" {
    use_lockfile                = true
    ${S3_SETTINGS(endpoint)}
  }
}
`,
    );
  }
}

describe.skipIf(!hasTerraform())(
  `aiplat destroy and the S3 state bucket${skipNote("terraform", hasTerraform())}`,
  () => {
    it("--keep-backend keeps the state bucket; without it the bucket is emptied of every version and removed last", async () => {
      s3 = await startS3Standin();
      const kmsStandin = await startKmsStandin(); // up makes the state bucket's KMS key
      kms = kmsStandin;
      const endpoint = s3.endpoint;
      vi.stubEnv("AWS_ENDPOINT_URL_S3", endpoint);
      vi.stubEnv("AWS_ENDPOINT_URL_KMS", kmsStandin.endpoint);
      const platform = await startPlatform();
      const { sim, run, repo } = platform;
      useS3Backend(join(repo.dir, "terraform"), endpoint);
      const env = { AWS_ENDPOINT_URL_S3: endpoint, AWS_ENDPOINT_URL_KMS: kmsStandin.endpoint };
      const up = await run(["up", "--yes"], { env });
      expect(up.exitCode, up.stderr).toBe(0);
      expect(s3.buckets.has(BUCKET)).toBe(true);
      expect(s3.versions.filter((v) => v.bucket === BUCKET).length).toBeGreaterThan(0);

      const kept = await run(["destroy", "--yes", "--keep-backend"], { env });
      expect(kept.exitCode, kept.stderr).toBe(0);
      expect(sim.terraform.applied()).toEqual([]);
      expect(s3.buckets.has(BUCKET)).toBe(true);
      expect(kept.stdout).not.toContain(`S3 state bucket ${BUCKET}`);

      const requestsBefore = s3.requests.length;
      const removed = await run(["destroy", "--yes"], { env });
      expect(removed.exitCode, removed.stderr).toBe(0);
      const versions = s3.versions.filter((v) => v.bucket === BUCKET);
      expect(versions).toEqual([]);
      expect(s3.buckets.has(BUCKET)).toBe(false);
      expect(removed.stdout).toMatch(
        new RegExp(`deleted: S3 state bucket ${BUCKET} \\(\\d+ object version\\(s\\)\\)`),
      );
      // Removed last: nothing was written to S3 after the bucket went.
      const writes = s3.requests
        .slice(requestsBefore)
        .filter((r) => r.method !== "GET" && r.method !== "HEAD");
      expect(writes.at(-1)).toMatchObject({ method: "DELETE", bucket: BUCKET, key: "" });
    });
  },
);
