import { readFile } from "node:fs/promises";
import type { Readable } from "node:stream";
import { PrerequisiteError, UsageError } from "../../core/errors.js";
import { checkHfToken, validateHfToken } from "../../core/hf-token.js";
import { requireCluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { hfTokenPath } from "../init/load.js";

export interface HfTokenOptions {
  stdin?: boolean;
}

const NAMESPACE = "inference";
const NAME = "hf-token";

/**
 * Stores the HuggingFace token as inference/hf-token{token}, which the RayService workers read
 * (optional secret: gated models need it). The token comes from stdin (--stdin), HF_TOKEN, the
 * file `aiplat init` kept in .aiplat/<env>/, or a hidden prompt — never from argv.
 */
export async function runHfToken(ctx: CommandContext, options: HfTokenOptions): Promise<void> {
  const { token, source } = await readToken(ctx, options);
  ctx.redactor.add(token);
  const cluster = await requireCluster(ctx, "Storing the HuggingFace token");
  if (!(await cluster.objects.get("v1", "Namespace", NAMESPACE))) {
    throw new PrerequisiteError(`The namespace ${NAMESPACE} does not exist yet.`, {
      code: "no-namespace",
      hint: `It is created by the 30.eks/30.cluster stage: run \`aiplat up --env ${ctx.env}\` first.`,
    });
  }
  const existed = (await cluster.objects.get("v1", "Secret", NAME, NAMESPACE)) !== undefined;
  await cluster.objects.apply({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: NAME, namespace: NAMESPACE, labels: { "app.kubernetes.io/managed-by": "aiplat" } },
    type: "Opaque",
    stringData: { token },
  });
  const verb = existed ? "Updated" : "Stored";
  ctx.io.result(
    { secret: `${NAMESPACE}/${NAME}`, source, updated: existed },
    `${verb} ${NAMESPACE}/${NAME} (token from ${source}) in ${cluster.description}.\n` +
      "  Endpoints that already failed to download a gated model retry on their next worker start.",
  );
}

async function readToken(
  ctx: CommandContext,
  options: HfTokenOptions,
): Promise<{ token: string; source: string }> {
  if (options.stdin) {
    const token = (await readAll(ctx.stdin)).trim();
    if (token === "")
      throw new UsageError("--stdin was given but standard input was empty.", { code: "bad-hf-token" });
    return { token: validateHfToken(token, "stdin"), source: "stdin" };
  }
  const fromEnv = ctx.processEnv.HF_TOKEN?.trim();
  if (fromEnv) return { token: validateHfToken(fromEnv, "HF_TOKEN"), source: "HF_TOKEN" };
  const kept = await readKeptToken(ctx);
  if (kept !== undefined)
    return { token: validateHfToken(kept, ".aiplat/"), source: `.aiplat/${ctx.env}/hf-token` };
  if (!ctx.io.interactive) {
    throw new UsageError("No HuggingFace token given.", {
      code: "missing-value",
      hint: 'Pipe it in with --stdin (printf %s "$TOKEN" | aiplat secret hf-token --stdin) or set HF_TOKEN.',
      details: { flags: ["--stdin"] },
    });
  }
  const token = await ctx.io.prompt.password({
    flag: "--stdin",
    message: "HuggingFace token (hidden)",
    validate: (value) => checkHfToken(value.trim()),
  });
  return { token: token.trim(), source: "the prompt" };
}

async function readKeptToken(ctx: CommandContext): Promise<string | undefined> {
  try {
    const text = (await readFile(hfTokenPath(ctx.root(), ctx.env), "utf8")).trim();
    return text === "" ? undefined : text;
  } catch {
    return undefined; // no repository or no kept token: fall through to the prompt
  }
}

/**
 * Standard input up to a bound: a token is short, and a pipe of megabytes (a wrong file) must
 * not be buffered whole. Past the bound reading stops and the input is refused (exit 2).
 */
const STDIN_MAX_BYTES = 4 * 1024;

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > STDIN_MAX_BYTES) {
      stream.destroy();
      throw new UsageError(
        `Standard input holds more than ${STDIN_MAX_BYTES} bytes: that is not a HuggingFace token (tokens are about 40 characters).`,
        {
          code: "bad-hf-token",
          hint: 'Pipe only the token: printf %s "$TOKEN" | aiplat secret hf-token --stdin',
        },
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
