import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The few KMS operations `aiplat up` uses for the state key (src/adapters/aws/state-key.ts), in
 * KMS's awsJson1_1 wire protocol (`X-Amz-Target: TrentService.<Op>`): DescribeKey by id or alias
 * (NotFoundException until the alias exists), CreateKey, EnableKeyRotation, CreateAlias
 * (AlreadyExistsException for a taken alias). Reached by the unmodified SDK through
 * AWS_ENDPOINT_URL_KMS. Source: AWS KMS API reference.
 */
export async function startKmsStandin(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const keys = new Map<string, { KeyId: string; Arn: string; KeyState: string }>();
  const aliases = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const op = String(req.headers["x-amz-target"] ?? "").replace("TrentService.", "");
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
        const k = { KeyId: id, Arn: `arn:aws:kms:us-east-1:123456789012:key/${id}`, KeyState: "Enabled" };
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
      return fail("UnknownOperationException", `${op} is not served by the KMS stand-in`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
