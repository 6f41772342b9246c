/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: KRO writes its expressions as ${...} in plain strings */
/**
 * The defects of the original platform (shared/design/PLATFORM.md, "Defects") that live in the
 * KRO definition and the endpoint template: each test fails if its defect comes back.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  loadRgd,
  RGD_PATH,
  readRepoFile,
  renderCatalogModel,
  TEMPLATE_PATH,
} from "./support/crd-fixtures.js";

// biome-ignore lint/suspicious/noExplicitAny: manifests are walked by field name
type Json = any;

const rgd = loadRgd() as Json;
const rendered = renderCatalogModel("gemma-4b");
const job = rendered.resources.find((r) => r.id === "registration")?.object as Json;
const rayService = rendered.resources.find((r) => r.id === "rayservice")?.object as Json;
const container = job.spec.template.spec.containers[0];
const script: string = container.args.join("\n");

describe("defect 2: a KRO-managed Job with ttlSecondsAfterFinished is re-created forever", () => {
  it("no resource of the RGD sets ttlSecondsAfterFinished", () => {
    expect(readRepoFile(RGD_PATH).replace(/^\s*#.*$/gm, "")).not.toContain("ttlSecondsAfterFinished");
    expect(job.spec.ttlSecondsAfterFinished).toBeUndefined();
  });

  it("the Job's retries are bounded, but waiting for LiteLLM never fails it (issue 17 point 6)", () => {
    expect(job.spec.backoffLimit).toBeGreaterThan(0);
    // A deadline failed the Job for good when LiteLLM was away longer: KRO never re-creates it.
    expect(job.spec.activeDeadlineSeconds).toBeUndefined();
    expect(script).toMatch(
      /until curl -fsS -o \/dev\/null "\$LITELLM_URL\/health\/readiness"; do sleep \d+; done/,
    );
    expect(script).toMatch(/until curl -fsS -o \/dev\/null "\$SERVE_URL\/models"; do sleep \d+; done/);
    // The recovery the README and the RGD name selects exactly these Jobs.
    expect(job.metadata.labels["app.kubernetes.io/component"]).toBe("litellm-registration");
    expect(readRepoFile(RGD_PATH)).toContain(
      "kubectl -n inference delete job -l app.kubernetes.io/component=litellm-registration",
    );
  });
});

describe("defect 3: LiteLLM registration was not idempotent", () => {
  it("looks the name up with GET /model/info and POSTs /model/new only when it is absent", () => {
    const info = script.indexOf('"$LITELLM_URL/model/info"');
    const create = script.indexOf('"$LITELLM_URL/model/new"');
    expect(info).toBeGreaterThan(-1);
    expect(create).toBeGreaterThan(info);
    expect(script.slice(info, create)).toMatch(/exit 0/);
  });

  it("waits until the model serves before registering", () => {
    expect(script.indexOf("$SERVE_URL/models")).toBeGreaterThan(-1);
    expect(script.indexOf("until curl")).toBeLessThan(script.indexOf('"$LITELLM_URL/model/new"'));
    const serveUrl = container.env.find((e: Json) => e.name === "SERVE_URL").value;
    expect(serveUrl).toBe("http://gemma-4b-serve-svc.inference.svc.cluster.local:8000/v1");
  });

  it("takes its scoped key (not the master key) from inference/litellm-api-key through env, never from args", () => {
    expect(container.env).toContainEqual({
      name: "LITELLM_API_KEY",
      valueFrom: { secretKeyRef: { name: "litellm-api-key", key: "registration-key" } },
    });
    expect(JSON.stringify(job)).not.toContain("master-key");
    expect(script).not.toMatch(/-H "Authorization: Bearer \$LITELLM_API_KEY"/);
    expect(script).toMatch(/-H @\/tmp\/auth-header/);
  });
});

describe("defect 6: RGD and instances in one sync (the CRD is not there yet)", () => {
  it("the RGD syncs in wave 0 and the endpoint template in wave 10, skipping dry-run", () => {
    expect(rgd.metadata.annotations["argocd.argoproj.io/sync-wave"]).toBe("0");
    const instance = parse(readRepoFile(TEMPLATE_PATH));
    expect(instance.metadata.annotations).toEqual({
      "argocd.argoproj.io/sync-wave": "10",
      "argocd.argoproj.io/sync-options": "SkipDryRunOnMissingResource=true",
    });
  });
});

describe("defect 9: no readyWhen, model not required, deprecated RayService fields", () => {
  it("the RayService is ready only when its Ready condition is True, the Job when it succeeded", () => {
    const byId = Object.fromEntries(rendered.resources.map((r) => [r.id, r.readyWhen]));
    expect(byId.rayservice).toEqual([
      '${rayservice.status.?conditions.orValue([]).exists(c, c.type == "Ready" && c.status == "True")}',
    ]);
    expect(byId.registration?.[0]).toMatch(/registration\.status\.\?succeeded/);
  });

  it("model is required", () => {
    expect(rgd.spec.schema.spec.model).toMatch(/^string \| required=true/);
  });

  it("uses no deprecated RayService field", () => {
    for (const field of ["serviceUnhealthySecondThreshold", "deploymentUnhealthySecondThreshold"]) {
      expect(rayService.spec[field]).toBeUndefined();
    }
    expect(JSON.stringify(rgd.spec.schema.status)).not.toContain("serviceStatus");
  });
  // That the RayService has no field the KubeRay 1.5.1 CRD lacks: crd-platform.test.ts.
});

describe('the string() quoting defect: Ray Serve got "1" instead of 1', () => {
  it("no expression in serveConfigV2 is quoted", () => {
    const serveConfig: string = rgd.spec.resources[0].template.spec.serveConfigV2;
    expect(serveConfig).toMatch(/max_model_len: \$\{string\(schema\.spec\.maxModelLen\)\}/);
    expect(serveConfig).not.toMatch(/["']\$\{/);
  });
});
