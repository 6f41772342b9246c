import { CreateAliasCommand, CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterEach, describe, expect, it } from "vitest";
import { STATE_KEY_ALIAS } from "../../src/adapters/aws/state-key.js";
import { retireStateKey } from "../../src/adapters/aws/state-key-retirement.js";
import { startKmsStandin } from "../support/kms-standin.js";

let standin: Awaited<ReturnType<typeof startKmsStandin>> | undefined;
afterEach(async () => {
  await standin?.close();
  standin = undefined;
});

async function scene(aliases: string[]) {
  standin = await startKmsStandin();
  const kms = new KMSClient({
    endpoint: standin.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  const ids: string[] = [];
  for (const alias of aliases) {
    const id = (await kms.send(new CreateKeyCommand({}))).KeyMetadata?.KeyId ?? "";
    if (alias) await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: id }));
    ids.push(id);
  }
  return { kms, standin, ids };
}

describe("retiring the state bucket's KMS key (KMS stand-in, real wire protocol)", () => {
  it("schedules the deletion of the alias's key with the 7-day minimum and deletes the alias; other keys stay", async () => {
    const { kms, standin, ids } = await scene([STATE_KEY_ALIAS, "", "alias/someone-else"]);
    const before = Date.now();
    const retired = await retireStateKey(kms);
    expect(retired.outcome).toBe("scheduled");
    expect(retired.keyId).toBe(ids[0]);
    const days = ((retired.deletionDate?.getTime() ?? 0) - before) / 86_400_000;
    expect(Math.round(days)).toBe(7);
    expect(standin.keys.get(ids[0] ?? "")?.KeyState).toBe("PendingDeletion");
    expect(standin.aliases.has(STATE_KEY_ALIAS)).toBe(false);
    expect(ids.slice(1).map((id) => standin.keys.get(id)?.KeyState)).toEqual(["Enabled", "Enabled"]);
    expect(standin.aliases.get("alias/someone-else")).toBe(ids[2]);
  });

  it("resumes: a key already pending deletion only loses its alias; no alias is done", async () => {
    const { kms, standin, ids } = await scene([STATE_KEY_ALIAS]);
    const { ScheduleKeyDeletionCommand } = await import("@aws-sdk/client-kms");
    // The previous run scheduled the deletion and stopped before deleting the alias.
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: ids[0], PendingWindowInDays: 7 }));
    const resumed = await retireStateKey(kms);
    expect(resumed.outcome).toBe("already-pending");
    expect(standin.aliases.has(STATE_KEY_ALIAS)).toBe(false);
    const again = await retireStateKey(kms);
    expect(again).toEqual({ outcome: "gone" });
    expect(standin.calls.filter((op) => op === "ScheduleKeyDeletion")).toHaveLength(1);
  });
});
