import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { STATE_KEY_ALIAS } from "../../src/adapters/aws/state-key.js";
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
    it("--keep-backend keeps the state bucket and its KMS key; without it the bucket is emptied of every version and removed last, then the key's deletion is scheduled", async () => {
      s3 = await startS3Standin();
      const s3Standin = s3;
      let bucketAtSchedule: boolean | undefined;
      // up makes the state bucket's KMS key; the hook sees whether the bucket is gone when it goes.
      const kmsStandin = await startKmsStandin({
        onCall: (op) => {
          if (op === "ScheduleKeyDeletion") bucketAtSchedule = s3Standin.buckets.has(BUCKET);
        },
      });
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
      const stateKeyId = kmsStandin.aliases.get(STATE_KEY_ALIAS) ?? "";
      expect(kmsStandin.keys.get(stateKeyId)?.KeyState).toBe("Enabled");
      // Somebody else's key in the same account: never touched.
      const others = await otherKeys(kmsStandin.endpoint);

      const callsBeforeDryRun = kmsStandin.calls.length;
      const dry = await run(["destroy", "--dry-run"], { env });
      expect(dry.exitCode, dry.stderr).toBe(0);
      expect(dry.stdout).toContain("KMS key alias/aiplat-tfstate: deletion scheduled");
      expect(kmsStandin.calls.length).toBe(callsBeforeDryRun);

      const kept = await run(["destroy", "--yes", "--keep-backend"], { env });
      expect(kept.exitCode, kept.stderr).toBe(0);
      expect(sim.terraform.applied()).toEqual([]);
      expect(s3.buckets.has(BUCKET)).toBe(true);
      expect(kept.stdout).not.toContain(`S3 state bucket ${BUCKET}`);
      expect(kmsStandin.calls).not.toContain("ScheduleKeyDeletion");
      expect(kmsStandin.keys.get(stateKeyId)?.KeyState).toBe("Enabled");
      expect(kmsStandin.aliases.get(STATE_KEY_ALIAS)).toBe(stateKeyId);

      // The bucket is the account's: while another environment's state records resources, the
      // bucket and its key stay; once that state is gone, they go.
      const { S3Client, PutObjectCommand, DeleteObjectCommand } = await import("@aws-sdk/client-s3");
      const s3Client = new S3Client({
        endpoint,
        forcePathStyle: true,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      const prodState = { Bucket: BUCKET, Key: "env:/prod/10.networking/terraform.tfstate" };
      await s3Client.send(
        new PutObjectCommand({
          ...prodState,
          Body: JSON.stringify({
            version: 4,
            resources: [{ mode: "managed", type: "aws_vpc", name: "main", instances: [{ attributes: {} }] }],
          }),
        }),
      );
      const shared = await run(["destroy", "--yes"], { env });
      expect(shared.exitCode, shared.stderr).toBe(0);
      expect(shared.stderr).toContain(
        "the bucket also holds the state of prod, which still records resources",
      );
      expect(s3.buckets.has(BUCKET)).toBe(true);
      expect(kmsStandin.calls).not.toContain("ScheduleKeyDeletion");
      await s3Client.send(new DeleteObjectCommand(prodState));

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
      // Then the key: scheduled for deletion after the bucket was gone, its alias deleted.
      expect(bucketAtSchedule).toBe(false);
      expect(kmsStandin.keys.get(stateKeyId)?.KeyState).toBe("PendingDeletion");
      expect(kmsStandin.aliases.has(STATE_KEY_ALIAS)).toBe(false);
      expect(removed.stdout).toContain(
        `deleted: KMS key ${stateKeyId} (alias/aiplat-tfstate): deletion scheduled`,
      );
      expect(others.map((id) => kmsStandin.keys.get(id)?.KeyState)).toEqual(["Enabled", "Enabled"]);

      // A state key left enabled after its bucket went (say, made again by hand) is a leftover with
      // its cost; --sweep schedules its deletion; somebody else's keys stay.
      const { KMSClient, CreateKeyCommand, CreateAliasCommand } = await import("@aws-sdk/client-kms");
      const client = kmsClient(KMSClient, kmsStandin.endpoint);
      const again = (await client.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? "";
      await client.send(new CreateAliasCommand({ AliasName: STATE_KEY_ALIAS, TargetKeyId: again }));
      const left = await run(["destroy", "--yes"], { env });
      expect(left.exitCode).not.toBe(0);
      expect(left.stderr).toContain(
        `kms-key ${again} (alias/aiplat-tfstate) customer managed, $1/month Enabled — made by aiplat-up, $0.0014/h`,
      );
      expect(left.stderr).toContain("--sweep");
      expect(kmsStandin.keys.get(again)?.KeyState).toBe("Enabled");
      const swept = await run(["destroy", "--yes", "--sweep"], { env });
      expect(swept.exitCode, swept.stderr).toBe(0);
      expect(kmsStandin.keys.get(again)?.KeyState).toBe("PendingDeletion");
      expect(kmsStandin.aliases.has(STATE_KEY_ALIAS)).toBe(false);
      expect(others.map((id) => kmsStandin.keys.get(id)?.KeyState)).toEqual(["Enabled", "Enabled"]);
    });
  },
);

type KmsClientClass = typeof import("@aws-sdk/client-kms").KMSClient;

function kmsClient(KMSClient: KmsClientClass, endpoint: string) {
  return new KMSClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
}

/** Two keys that are not aiplat's: one without an alias, one under another alias. */
async function otherKeys(endpoint: string): Promise<string[]> {
  const { KMSClient, CreateKeyCommand, CreateAliasCommand } = await import("@aws-sdk/client-kms");
  const client = kmsClient(KMSClient, endpoint);
  const bare = (await client.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? "";
  const named = (await client.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? "";
  await client.send(new CreateAliasCommand({ AliasName: "alias/someone-else", TargetKeyId: named }));
  return [bare, named];
}
