import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

interface StandinKey {
  KeyId: string;
  Arn: string;
  KeyState: string;
  Enabled: boolean;
  KeyManager: "CUSTOMER";
  DeletionDate?: number;
}

/**
 * The few KMS operations aiplat uses for the state key (src/adapters/aws/state-key.ts and
 * state-key-retirement.ts), in KMS's awsJson1_1 wire protocol (`X-Amz-Target: TrentService.<Op>`):
 * DescribeKey by id or alias (NotFoundException until the alias exists; KeyState, and DeletionDate
 * in epoch seconds once pending deletion), CreateKey, EnableKeyRotation, CreateAlias
 * (AlreadyExistsException for a taken alias), ScheduleKeyDeletion (key id or ARN only, a 7–30 day
 * window, KMSInvalidStateException for a key already pending deletion) and DeleteAlias
 * (NotFoundException for a missing alias). Reached by the unmodified SDK through
 * AWS_ENDPOINT_URL_KMS. Source: AWS KMS API reference (DescribeKey, ScheduleKeyDeletion,
 * DeleteAlias, "Key states of AWS KMS keys").
 */
export async function startKmsStandin(options: { onCall?: (op: string) => void } = {}): Promise<{
  endpoint: string;
  keys: Map<string, StandinKey>;
  aliases: Map<string, string>;
  calls: string[];
  close(): Promise<void>;
}> {
  const keys = new Map<string, StandinKey>();
  const aliases = new Map<string, string>();
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const op = String(req.headers["x-amz-target"] ?? "").replace("TrentService.", "");
      calls.push(op);
      options.onCall?.(op);
      const input = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, string>;
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(body));
      };
      const fail = (type: string, message: string) => reply(400, { __type: type, message });
      const key = (id: string | undefined) => keys.get(aliases.get(id ?? "") ?? id ?? "");
      if (op === "DescribeKey") {
        const k = key(input.KeyId);
        return k
          ? reply(200, { KeyMetadata: k })
          : fail("NotFoundException", `Alias ${input.KeyId} is not found.`);
      }
      if (op === "CreateKey") {
        const id = `key-${keys.size + 1}`;
        const k: StandinKey = {
          KeyId: id,
          Arn: `arn:aws:kms:us-east-1:123456789012:key/${id}`,
          KeyState: "Enabled",
          Enabled: true,
          KeyManager: "CUSTOMER",
        };
        keys.set(id, k);
        return reply(200, { KeyMetadata: k });
      }
      if (op === "EnableKeyRotation")
        return key(input.KeyId) ? reply(200, {}) : fail("NotFoundException", "no key");
      if (op === "CreateAlias") {
        if (aliases.has(input.AliasName ?? "")) return fail("AlreadyExistsException", "alias exists");
        aliases.set(input.AliasName ?? "", input.TargetKeyId ?? "");
        return reply(200, {});
      }
      if (op === "ScheduleKeyDeletion") {
        // Key id or key ARN; an alias is not accepted here.
        const k = keys.get(input.KeyId ?? "") ?? [...keys.values()].find((x) => x.Arn === input.KeyId);
        if (!k) return fail("NotFoundException", `Key '${input.KeyId}' does not exist`);
        const days = Number(input.PendingWindowInDays ?? 30);
        if (!(days >= 7 && days <= 30))
          return fail("ValidationException", "PendingWindowInDays must be between 7 and 30");
        if (k.KeyState === "PendingDeletion")
          return fail("KMSInvalidStateException", `${k.Arn} is pending deletion.`);
        k.KeyState = "PendingDeletion";
        k.Enabled = false;
        k.DeletionDate = Math.floor(Date.now() / 1000) + days * 86_400;
        return reply(200, {
          KeyId: k.Arn,
          DeletionDate: k.DeletionDate,
          KeyState: k.KeyState,
          PendingWindowInDays: days,
        });
      }
      if (op === "DeleteAlias") {
        if (!aliases.delete(input.AliasName ?? ""))
          return fail("NotFoundException", `Alias ${input.AliasName} is not found.`);
        return reply(200, {});
      }
      return fail("UnknownOperationException", `${op} is not served by the KMS stand-in`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    keys,
    aliases,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
