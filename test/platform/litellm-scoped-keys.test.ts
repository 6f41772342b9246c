/**
 * Issue 17 point 12: Open WebUI and the registration Jobs held the LiteLLM master key (which can
 * make keys and delete models), and the master key sat in the inference namespace. They now use
 * scoped virtual keys that a CronJob in ai-platform keeps registered.
 */
import { describe, expect, test } from "vitest";
import { renderCatalogModel } from "./support/crd-fixtures.js";
import { dig, type KubeObject, listYamlFiles, loadManifests } from "./support/manifests-load.js";

// biome-ignore lint/suspicious/noExplicitAny: manifests are walked by field name
type Json = any;

const manifests = loadManifests(listYamlFiles(["platform"])).map((m) => ({ file: m.file, object: m.object }));
const cronJob = manifests.find(
  (m) => m.object.kind === "CronJob" && m.object.metadata?.name === "litellm-virtual-keys",
)?.object as Json;
const container = cronJob?.spec.jobTemplate.spec.template.spec.containers[0];
const script: string = container?.args.join("\n") ?? "";

function secretRefs(value: unknown): Array<{ name: string; key: string }> {
  const text = JSON.stringify(value);
  return [...text.matchAll(/"secretKeyRef":\{"name":"([^"]+)","key":"([^"]+)"/g)].map((m) => ({
    name: m[1] ?? "",
    key: m[2] ?? "",
  }));
}

describe("who holds the LiteLLM master key", () => {
  test("only the LiteLLM Deployment and the virtual-keys CronJob, both in ai-platform", () => {
    const holders = manifests
      .filter((m) => secretRefs(m.object).some((r) => r.key === "master-key"))
      .map((m) => `${m.object.metadata?.namespace}/${m.object.kind}/${m.object.metadata?.name}`)
      .sort();
    expect(holders).toEqual(["ai-platform/CronJob/litellm-virtual-keys", "ai-platform/Deployment/litellm"]);
  });

  test("Open WebUI uses its own webui-key", async () => {
    const { readFileSync } = await import("node:fs");
    const { parse } = await import("yaml");
    const { join } = await import("node:path");
    const { repoRoot } = await import("../support/paths.js");
    const values = parse(readFileSync(join(repoRoot, "platform/apps/open-webui/helm-values.yaml"), "utf8"));
    expect(secretRefs(values)).toEqual([{ name: "litellm-secrets", key: "webui-key" }]);
  });

  test("the registration Job uses the registration-key of inference/litellm-api-key", () => {
    const job = renderCatalogModel("gemma-4b").resources.find((r) => r.id === "registration")?.object;
    expect(secretRefs(job)).toEqual([{ name: "litellm-api-key", key: "registration-key" }]);
    // Waiting for the key to be registered is part of waiting, not a failed attempt.
    const jobScript: string = (job as Json).spec.template.spec.containers[0].args.join("\n");
    expect(jobScript).toMatch(
      /until curl -fsS -o \/dev\/null -H @\/tmp\/auth-header "\$LITELLM_URL\/model\/info"; do sleep \d+; done/,
    );
    expect(jobScript.indexOf("until curl -fsS -o /dev/null -H @/tmp/auth-header")).toBeLessThan(
      jobScript.indexOf("/model/new"),
    );
  });
});

describe("the litellm-virtual-keys CronJob", () => {
  test("runs in ai-platform, is synced by the litellm Application, and re-checks every few minutes", () => {
    expect(cronJob.metadata.namespace).toBe("ai-platform");
    expect(manifests.find((m) => m.object === cronJob)?.file).toBe("platform/apps/litellm/virtual-keys.yaml");
    expect(cronJob.spec.schedule).toBe("*/5 * * * *");
    expect(cronJob.spec.concurrencyPolicy).toBe("Forbid");
    // Bounded: a stuck run must not block the next one forever.
    expect(cronJob.spec.jobTemplate.spec.activeDeadlineSeconds).toBeLessThan(300);
  });

  test("scopes Open WebUI's key to LLM API routes", () => {
    expect(script).toMatch(/generate "\$WEBUI_KEY" '"allowed_routes":\["llm_api_routes"\]/);
  });

  test("scopes the registration key to /model/new and /model/info, owned by a proxy admin (LiteLLM's rule for adding models)", () => {
    expect(script).toMatch(
      /generate "\$REGISTRATION_KEY" '"user_id":"aiplat-registration","allowed_routes":\["\/model\/new","\/model\/info"\]/,
    );
    expect(script).toContain('"user_id":"aiplat-registration","user_role":"proxy_admin"');
  });

  test("checks each key by using it, and fails unless both work at the end", () => {
    expect(script).toMatch(/works "\$WEBUI_KEY" \/v1\/models\s*$/m);
    expect(script).toMatch(/works "\$REGISTRATION_KEY" \/model\/info\s*$/m);
  });

  test("keeps every key out of process arguments (header and body files only)", () => {
    for (const line of script.split("\n").filter((l) => l.includes("curl"))) {
      expect(line, line).not.toMatch(/\$(LITELLM_MASTER_KEY|WEBUI_KEY|REGISTRATION_KEY|1)\b/);
      expect(line, line).not.toMatch(/-d "\$/);
    }
    expect(
      secretRefs(cronJob)
        .map((r) => r.key)
        .sort(),
    ).toEqual(["master-key", "registration-key", "webui-key"]);
  });
});

describe("scope check of the check itself", () => {
  test("a manifest that takes master-key is found", () => {
    const fake: KubeObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "x" },
      spec: {
        containers: [
          { env: [{ valueFrom: { secretKeyRef: { name: "litellm-secrets", key: "master-key" } } }] },
        ],
      },
    };
    expect(secretRefs(fake)).toEqual([{ name: "litellm-secrets", key: "master-key" }]);
    expect(dig(fake, "metadata", "name")).toBe("x");
  });
});
