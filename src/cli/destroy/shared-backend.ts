/**
 * The state bucket is the account's (`tfstate-<account>`): each environment keeps its state there
 * in its Terraform workspace (`env:/<name>/<stage>/terraform.tfstate`; the default workspace at the
 * root). Removing the bucket, or retiring its KMS key, would lose the state of another environment
 * that still runs, so the teardown keeps both while such a state records resources. Read-only.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { countStateResources } from "../up/leftover-state.js";

const STATE_SUFFIX = "/terraform.tfstate";

/** The other environments whose state in the bucket still records resources (or cannot be read). */
export async function otherEnvironmentsInBucket(
  s3: { client: S3Client; bucket: string },
  env: string,
): Promise<string[]> {
  const { paginateListObjectsV2 } = await import("@aws-sdk/client-s3");
  const holding = new Set<string>();
  for await (const page of paginateListObjectsV2({ client: s3.client }, { Bucket: s3.bucket })) {
    for (const object of page.Contents ?? []) {
      const state = workspaceState(object.Key ?? "");
      if (!state || state.env === env || holding.has(state.env)) continue;
      const resources = await countStateResources({ backend: "s3", stageDir: "", ...state, s3 });
      if (resources !== 0) holding.add(state.env);
    }
  }
  return [...holding].sort();
}

function workspaceState(key: string): { env: string; stage: string } | undefined {
  if (!key.endsWith(STATE_SUFFIX)) return undefined;
  const match = /^env:\/([^/]+)\/(.+)$/.exec(key.slice(0, -STATE_SUFFIX.length));
  if (match) return { env: match[1] ?? "", stage: match[2] ?? "" };
  return { env: "default", stage: key.slice(0, -STATE_SUFFIX.length) };
}
