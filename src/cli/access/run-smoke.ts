/**
 * `aiplat smoke [model...]`: proves the platform answers end to end. LiteLLM's readiness with its
 * database, Open WebUI and Langfuse answering through their own forwards, then for every
 * registered model (or each one named) one plain completion with a fixed prompt and one streamed;
 * pass = a non-empty answer within the timeout. A table (or --json); exit 0 only if all pass.
 */
import { endpointOperandError } from "../../core/endpoint/validate-inputs.js";
import { ExternalError } from "../../core/errors.js";
import { type Cluster, requireCluster } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { KEY_SOURCE, type LitellmSession, openLitellmSession } from "./litellm-session.js";
import { startForwards } from "./run-forward.js";
import { resolveTarget } from "./targets.js";

export const SMOKE_PROMPT = "Reply with one short sentence: is the platform working?";
const ANSWER_TIMEOUT_MS = 120_000;
const WEB_TIMEOUT_MS = 15_000;

export interface SmokeCheck {
  check: string;
  pass: boolean;
  timeToFirstTokenMs: number | null;
  totalMs: number | null;
  tokens: number | null;
  detail: string;
}

const failed = (check: string, detail: string): SmokeCheck => ({
  check,
  pass: false,
  timeToFirstTokenMs: null,
  totalMs: null,
  tokens: null,
  detail,
});

/** Runs `probe`, turning a throw into a failed row with the error's message. */
async function attempt(check: string, probe: () => Promise<SmokeCheck>): Promise<SmokeCheck> {
  try {
    return await probe();
  } catch (error) {
    return failed(check, (error as Error).message);
  }
}

/** A web UI answers through its forward: the health path each application serves. */
async function webCheck(
  ctx: CommandContext,
  cluster: Cluster,
  name: "webui" | "langfuse",
): Promise<SmokeCheck> {
  const target = resolveTarget(name);
  // Open WebUI serves GET /health; Langfuse serves GET /api/public/health.
  const path = name === "webui" ? "/health" : "/api/public/health";
  return attempt(target.title, async () => {
    const [f] = await startForwards(ctx, cluster, [target], { ephemeral: true });
    try {
      const started = ctx.clock.now();
      const res = await fetch(`${f?.handle.url}${path}`, { signal: AbortSignal.timeout(WEB_TIMEOUT_MS) });
      await res.arrayBuffer();
      const totalMs = ctx.clock.now() - started;
      return {
        ...failed(target.title, `GET ${path} answered ${res.status}`),
        pass: res.ok,
        totalMs: Math.round(totalMs),
      };
    } finally {
      await f?.handle.close();
    }
  });
}

async function modelChecks(
  ctx: CommandContext,
  session: LitellmSession,
  model: string,
): Promise<SmokeCheck[]> {
  const [{ completeOnce }, { streamChat }] = await Promise.all([
    import("../../adapters/llm/completion.js"),
    import("../../adapters/llm/chat-stream.js"),
  ]);
  const common = { baseUrl: session.baseUrl, apiKey: session.apiKey, clock: ctx.clock, model };
  const plain = await attempt(`${model} completion`, async () => {
    const r = await completeOnce({
      ...common,
      prompt: SMOKE_PROMPT,
      timeoutMs: ANSWER_TIMEOUT_MS,
      signal: ctx.signal,
    });
    const ok = r.text.trim() !== "";
    return {
      check: `${model} completion`,
      pass: ok,
      timeToFirstTokenMs: null,
      totalMs: Math.round(r.totalMs),
      tokens: r.tokens,
      detail: ok ? "answered" : "empty answer",
    };
  });
  const streamed = await attempt(`${model} streamed`, async () => {
    const r = await streamChat({
      ...common,
      messages: [{ role: "user", content: SMOKE_PROMPT }],
      timeoutMs: ANSWER_TIMEOUT_MS,
      signal: ctx.signal,
      keySource: KEY_SOURCE,
    });
    const ok = r.text.trim() !== "";
    return {
      check: `${model} streamed`,
      pass: ok,
      timeToFirstTokenMs: r.timeToFirstTokenMs === undefined ? null : Math.round(r.timeToFirstTokenMs),
      totalMs: Math.round(r.totalMs),
      tokens: r.tokens,
      detail: ok ? "answered" : "empty answer",
    };
  });
  return [plain, streamed];
}

export function formatSmokeTable(checks: readonly SmokeCheck[]): string {
  const ms = (v: number | null) => (v === null ? "-" : `${v} ms`);
  const rows = [
    ["CHECK", "RESULT", "FIRST TOKEN", "TOTAL", "TOKENS", "DETAIL"],
    ...checks.map((c) => [
      c.check,
      c.pass ? "pass" : "FAIL",
      ms(c.timeToFirstTokenMs),
      ms(c.totalMs),
      c.tokens === null ? "-" : String(c.tokens),
      c.detail,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export async function runSmoke(ctx: CommandContext, named: string[]): Promise<void> {
  for (const name of named) {
    const invalid = endpointOperandError(name, "model name");
    if (invalid) throw invalid;
  }
  const cluster = await requireCluster(ctx, "The smoke test");
  const checks: SmokeCheck[] = [];
  let session: LitellmSession | undefined;
  try {
    try {
      session = await openLitellmSession(ctx, "The smoke test");
      const health = await session.client.health(ctx.signal);
      const pass = health.healthy && health.db === "connected";
      checks.push({
        ...failed("LiteLLM health", `status ${health.httpStatus}, database: ${health.db}`),
        pass,
      });
    } catch (error) {
      checks.push(failed("LiteLLM health", (error as Error).message));
    }
    checks.push(await webCheck(ctx, cluster, "webui"));
    checks.push(await webCheck(ctx, cluster, "langfuse"));
    if (session) {
      let registered: string[] = [];
      try {
        registered = await session.client.listModels(ctx.signal);
      } catch (error) {
        checks.push(failed("LiteLLM models", (error as Error).message));
      }
      // Named models in the user's order; otherwise every registered one, sorted so the table reads
      // the same on every run (LiteLLM lists them in registration order, which follows readiness).
      const models = named.length > 0 ? named : [...registered].sort();
      if (models.length === 0 && named.length === 0)
        checks.push(failed("LiteLLM models", "no model is registered (aiplat deploy-model <model> --wait)"));
      for (const model of models) {
        if (!registered.includes(model)) {
          checks.push(
            failed(
              model,
              `not registered in LiteLLM (registered: ${[...registered].sort().join(", ") || "none"})`,
            ),
          );
          continue;
        }
        checks.push(...(await modelChecks(ctx, session, model)));
      }
    } else {
      checks.push(failed("models", "skipped: LiteLLM is not reachable"));
    }
  } finally {
    await session?.close();
  }
  const failures = checks.filter((c) => !c.pass);
  ctx.io.result({ passed: failures.length === 0, checks }, formatSmokeTable(checks));
  if (failures.length > 0) {
    throw new ExternalError(
      `${failures.length} of ${checks.length} smoke checks failed: ${failures.map((c) => c.check).join(", ")}.`,
      {
        code: "smoke-failed",
        hint: "See the DETAIL column; `aiplat status` shows what is not ready.",
      },
    );
  }
  ctx.io.success(`All ${checks.length} smoke checks passed.`);
}
