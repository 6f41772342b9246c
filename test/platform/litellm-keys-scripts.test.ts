/**
 * Issue 17 point 12, run for real: the litellm-virtual-keys CronJob's script and the registration
 * Job's script (both `sh` + `curl`, as in their curl image) against a LiteLLM stand-in that applies
 * LiteLLM's rules for virtual keys (support/litellm-keys-standin.ts). The scripts write their header
 * and body files to /tmp in their container; here that is a temporary folder.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTempDir } from "../support/temp.js";
import { renderCatalogModel } from "./support/crd-fixtures.js";
import { type LitellmKeysStandin, startLitellmKeysStandin } from "./support/litellm-keys-standin.js";
import { listYamlFiles, loadManifests } from "./support/manifests-load.js";

// biome-ignore lint/suspicious/noExplicitAny: manifests are walked by field name
type Json = any;

const MASTER = "sk-master-0123456789";
const WEBUI = "sk-webui-0123456789";
const REGISTRATION = "sk-registration-0123456789";

const cronJob = loadManifests(listYamlFiles(["platform/apps/litellm"])).find(
  (m) => m.object.kind === "CronJob",
)?.object as Json;
const keysScript: string = cronJob.spec.jobTemplate.spec.template.spec.containers[0].args[0];
const registrationJob = renderCatalogModel("gemma-4b").resources.find((r) => r.id === "registration")
  ?.object as Json;
const registrationScript: string = registrationJob.spec.template.spec.containers[0].args[0];

let litellm: LitellmKeysStandin;
beforeAll(async () => {
  litellm = await startLitellmKeysStandin(MASTER);
});
afterAll(() => litellm.close());

/** Async: the stand-in answers from this process, so the event loop must keep running. */
async function run(
  script: string,
  env: Record<string, string>,
): Promise<{ status: number | null; output: string }> {
  const tmp = makeTempDir("aiplat-keys-");
  const child = spawn("sh", ["-c", script.replaceAll("/tmp/", `${tmp}/`)], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env },
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(timer);
  return { status, output };
}

const ensureKeys = () =>
  run(keysScript, {
    LITELLM_URL: litellm.url,
    LITELLM_MASTER_KEY: MASTER,
    WEBUI_KEY: WEBUI,
    REGISTRATION_KEY: REGISTRATION,
  });

const authed = (key: string, route: string, init: RequestInit = {}) =>
  fetch(`${litellm.url}${route}`, { ...init, headers: { Authorization: `Bearer ${key}`, ...init.headers } });

describe("the scoped keys, registered and used", () => {
  test("the CronJob registers both keys with their scopes, the registration key under a proxy admin", async () => {
    const first = await ensureKeys();
    expect(first.status, first.output).toBe(0);
    expect(first.output).toContain("registered webui-key");
    expect(first.output).toContain("registered registration-key");
    expect(litellm.keys.get(WEBUI)).toEqual({ allowedRoutes: ["llm_api_routes"], userId: undefined });
    expect(litellm.keys.get(REGISTRATION)).toEqual({
      allowedRoutes: ["/model/new", "/model/info"],
      userId: "aiplat-registration",
    });
    expect(litellm.users.get("aiplat-registration")).toBe("proxy_admin");
  });

  test("a second run finds both keys working and generates nothing", async () => {
    const before = litellm.calls.filter((c) => c === "POST /key/generate").length;
    const again = await ensureKeys();
    expect(again.status, again.output).toBe(0);
    expect(again.output).toContain("webui-key is registered");
    expect(again.output).toContain("registration-key is registered");
    expect(litellm.calls.filter((c) => c === "POST /key/generate").length).toBe(before);
  });

  test("the registration Job registers its model with the registration key", async () => {
    const result = await run(registrationScript, {
      MODEL_NAME: "gemma-4b",
      MODEL_ID: "google/gemma-3-4b-it",
      SERVE_URL: `${litellm.url}/serve/v1`,
      LITELLM_URL: litellm.url,
      LITELLM_API_KEY: REGISTRATION,
    });
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("registered gemma-4b in LiteLLM");
    expect(litellm.models).toEqual(["gemma-4b"]);
  });

  test("neither key can do more than its job", async () => {
    // Open WebUI's: models and chat only.
    expect((await authed(WEBUI, "/v1/models")).status).toBe(200);
    const newModel = { method: "POST", body: JSON.stringify({ model_name: "x" }) };
    expect((await authed(WEBUI, "/model/new", newModel)).status).toBe(403);
    expect((await authed(WEBUI, "/key/generate", { method: "POST", body: "{}" })).status).toBe(403);
    // The registration key: add and list models only, no keys, no users, no LLM calls.
    expect((await authed(REGISTRATION, "/key/generate", { method: "POST", body: "{}" })).status).toBe(403);
    expect((await authed(REGISTRATION, "/user/new", { method: "POST", body: "{}" })).status).toBe(403);
    expect((await authed(REGISTRATION, "/v1/chat/completions", { method: "POST", body: "{}" })).status).toBe(
      403,
    );
  });

  test("after LiteLLM lost its database, the next run registers the keys again", async () => {
    litellm.keys.clear();
    litellm.users.clear();
    const result = await ensureKeys();
    expect(result.status, result.output).toBe(0);
    expect(litellm.keys.size).toBe(2);
    expect(litellm.users.get("aiplat-registration")).toBe("proxy_admin");
  });

  test("the keys never appear in a process argument (curl's argv)", () => {
    // Every curl line passes keys through -H @file / -d @file only.
    for (const line of `${keysScript}\n${registrationScript}`.split("\n").filter((l) => /\bcurl\b/.test(l)))
      expect(line, line).not.toMatch(/\$(LITELLM_MASTER_KEY|LITELLM_API_KEY|WEBUI_KEY|REGISTRATION_KEY)/);
  });
});
