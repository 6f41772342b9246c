import { describe, expect, it } from "vitest";
import { startPlatform } from "./chat-harness.js";

interface Row {
  check: string;
  pass: boolean;
  timeToFirstTokenMs: number | null;
  totalMs: number | null;
  tokens: number | null;
  detail: string;
}

describe("aiplat smoke", () => {
  it("passes every check on a healthy platform, as a table and as --json", async () => {
    const { sim, run } = await startPlatform(["gemma", "qwen"]);
    const out = await run(["smoke"]);
    expect(out.exitCode, out.stderr).toBe(0);
    const lines = out.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^CHECK\s+RESULT\s+FIRST TOKEN\s+TOTAL\s+TOKENS\s+DETAIL$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/)[0])).toEqual([
      "LiteLLM health",
      "Open WebUI",
      "Langfuse",
      "gemma completion",
      "gemma streamed",
      "qwen completion",
      "qwen streamed",
    ]);
    expect(lines.slice(1).every((l) => /\bpass\b/.test(l))).toBe(true);
    expect(out.stderr).toContain("All 7 smoke checks passed.");
    // One plain and one streamed completion per model, with the fixed prompt.
    expect(sim.litellm.chats().map((c) => [c.model, Boolean(c.stream)])).toEqual([
      ["gemma", false],
      ["gemma", true],
      ["qwen", false],
      ["qwen", true],
    ]);

    const json = await run(["smoke", "qwen", "--json"]);
    expect(json.exitCode).toBe(0);
    const doc = json.json() as { ok: boolean; passed: boolean; checks: Row[] };
    expect(doc).toMatchObject({ ok: true, passed: true });
    expect(doc.checks.map((c) => c.check)).toEqual([
      "LiteLLM health",
      "Open WebUI",
      "Langfuse",
      "qwen completion",
      "qwen streamed",
    ]);
    const streamed = doc.checks.at(-1) as Row;
    expect(streamed.timeToFirstTokenMs).toEqual(expect.any(Number));
    expect(streamed.tokens).toBeGreaterThan(0);
    expect(doc.checks[0]?.detail).toContain("database: connected");
  }, 120_000);

  it("fails (exit 5) when one model fails, naming it; an unregistered name is a failed row", async () => {
    const { sim, run } = await startPlatform(["gemma", "qwen"]);
    sim.litellm.failNext(1, 500, "litellm.InternalServerError: simulated failure");
    const out = await run(["smoke", "--json"]);
    expect(out.exitCode).toBe(5);
    const doc = out.json() as { ok: boolean; passed: boolean; checks: Row[]; error: { message: string } };
    expect(doc.passed).toBe(false);
    expect(doc.checks.filter((c) => !c.pass).map((c) => c.check)).toEqual(["gemma completion"]);
    expect(doc.checks.find((c) => c.check === "gemma completion")?.detail).toContain("(500)");
    expect(doc.error.message).toBe("1 of 7 smoke checks failed: gemma completion.");

    const unknown = await run(["smoke", "llama"]);
    expect(unknown.exitCode).toBe(5);
    expect(unknown.stdout).toMatch(/llama\s+FAIL.*not registered in LiteLLM \(registered: gemma, qwen\)/);
  }, 120_000);

  it("reports LiteLLM down (no Ready pod) and still checks the web UIs", async () => {
    const { sim, run } = await startPlatform(["gemma"]);
    sim.kube.store.patch(
      { apiVersion: "apps/v1", kind: "Deployment", name: "litellm", namespace: "ai-platform" },
      { spec: { replicas: 0 } },
      "merge",
    );
    await sim.settle();
    const out = await run(["smoke"]);
    expect(out.exitCode).toBe(5);
    expect(out.stdout).toMatch(/LiteLLM health\s+FAIL.*No Ready pod behind Service ai-platform\/litellm/);
    expect(out.stdout).toMatch(/Open WebUI\s+pass/);
    expect(out.stdout).toMatch(/models\s+FAIL.*skipped: LiteLLM is not reachable/);
  }, 120_000);
});
