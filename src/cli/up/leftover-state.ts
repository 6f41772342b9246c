import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { stateKey } from "../../core/stages/stages.js";

/**
 * How many resources a stage's state still records in this environment's workspace: a stage that
 * was applied and is now switched off in the tfvars keeps those resources (and their bill), so
 * `up` says so instead of skipping it silently. Only counts; the state itself can hold secrets and
 * is never printed. undefined = could not tell (no state access); 0 = no state or an empty one.
 */
export async function countStateResources(target: {
  backend: "s3" | "local" | "other";
  stageDir: string;
  stage: string;
  env: string;
  s3?: { client: S3Client; bucket: string } | undefined;
}): Promise<number | undefined> {
  if (target.backend === "local") {
    // Terraform's local backend keeps non-default workspaces under terraform.tfstate.d/<name>/.
    const file =
      target.env === "default"
        ? join(target.stageDir, "terraform.tfstate")
        : join(target.stageDir, "terraform.tfstate.d", target.env, "terraform.tfstate");
    try {
      return countResources(await readFile(file, "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
      return undefined;
    }
  }
  if (target.backend === "s3" && target.s3) {
    const { GetObjectCommand } = await import("@aws-sdk/client-s3");
    // The S3 backend prefixes non-default workspaces with env:/<name>/ (workspace_key_prefix).
    const key =
      target.env === "default" ? stateKey(target.stage) : `env:/${target.env}/${stateKey(target.stage)}`;
    try {
      const out = await target.s3.client.send(new GetObjectCommand({ Bucket: target.s3.bucket, Key: key }));
      return countResources((await out.Body?.transformToString()) ?? "");
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === "NoSuchKey" || name === "NotFound") return 0;
      return undefined;
    }
  }
  return undefined;
}

/** Managed resources with at least one instance (data sources are not left running). */
function countResources(text: string): number {
  if (text.trim() === "") return 0;
  const state = JSON.parse(text) as { resources?: { mode?: string; instances?: unknown[] }[] };
  return (state.resources ?? []).filter((r) => r.mode === "managed" && (r.instances?.length ?? 0) > 0).length;
}
