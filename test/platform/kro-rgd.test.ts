/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: KRO writes its expressions as ${...} in plain strings */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ENDPOINT_DEFAULTS, MAX_ENDPOINT_NAME_LENGTH } from "../../src/core/endpoint/index.js";
import { MEMORY_PATTERN } from "../../src/core/fit/quantity.js";
import { instanceSpecSchema, splitExpressions } from "../../src/core/kro/index.js";
import {
  endpointManifest,
  loadRgd,
  RGD_PATH,
  readRepoFile,
  renderCatalogModel,
} from "./support/crd-fixtures.js";

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are walked by field name
type Json = any;

const rgd = loadRgd() as Json;
const gemma = renderCatalogModel("gemma-4b");
const rayService = gemma.resources.find((r) => r.id === "rayservice")?.object as Json;
const job = gemma.resources.find((r) => r.id === "registration")?.object as Json;
const gemmaSpec = (endpointManifest("gemma-4b") as Json).spec;
const worker = rayService.spec.rayClusterConfig.workerGroupSpecs[0];
const workerContainer = worker.template.spec.containers[0];
const script: string = job.spec.template.spec.containers[0].args.join("\n");

describe("the gemma-4b InferenceEndpoint rendered through the RGD", () => {
  it("renders a RayService and a registration Job with nothing left for KRO but readiness", () => {
    expect(gemma.resources.map((r) => [r.id, r.object.kind])).toEqual([
      ["rayservice", "RayService"],
      ["registration", "Job"],
    ]);
    for (const r of gemma.resources) expect(r.unresolved).toEqual([]);
    expect(JSON.stringify(rayService)).not.toContain("${");
  });

  it("gives Ray Serve integers, not strings, in serveConfigV2", () => {
    const serve = parse(rayService.spec.serveConfigV2);
    const app = serve.applications[0];
    expect(app.import_path).toBe("ray.serve.llm:build_openai_app");
    const llm = app.args.llm_configs[0];
    expect(llm.model_loading_config).toEqual({
      model_id: "google/gemma-3-4b-it",
      model_source: "google/gemma-3-4b-it",
    });
    expect(llm.engine_kwargs.max_model_len).toBe(8192);
    expect(llm.engine_kwargs.tensor_parallel_size).toBe(1);
    expect(llm.deployment_config.autoscaling_config.min_replicas).toBe(gemmaSpec.minReplicas);
    expect(llm.deployment_config.autoscaling_config.max_replicas).toBe(gemmaSpec.maxReplicas);
    for (const v of [llm.engine_kwargs.max_model_len, llm.engine_kwargs.tensor_parallel_size]) {
      expect(Number.isInteger(v)).toBe(true);
    }
  });

  it("sizes each GPU worker exactly as the spec says", () => {
    for (const side of ["requests", "limits"]) {
      expect(workerContainer.resources[side]).toEqual({
        cpu: gemmaSpec.workerCpu,
        memory: gemmaSpec.workerMemory,
        "nvidia.com/gpu": gemmaSpec.gpuCount,
      });
    }
    expect(worker.minReplicas).toBe(gemmaSpec.minReplicas);
    expect(worker.maxReplicas).toBe(gemmaSpec.maxReplicas);
    expect(worker.replicas).toBeUndefined();
  });

  it("puts workers on the gpu-inference pool and tolerates its taint; the head needs no GPU", () => {
    expect(worker.template.spec.nodeSelector).toEqual({ "workload-type": "gpu-inference" });
    expect(worker.template.spec.tolerations).toContainEqual({
      key: "nvidia.com/gpu",
      operator: "Exists",
      effect: "NoSchedule",
    });
    const head = rayService.spec.rayClusterConfig.headGroupSpec.template.spec.containers[0];
    expect(JSON.stringify(head.resources)).not.toContain("nvidia.com/gpu");
  });

  it("passes the HuggingFace token from the optional hf-token secret", () => {
    expect(workerContainer.env).toContainEqual({
      name: "HF_TOKEN",
      valueFrom: { secretKeyRef: { name: "hf-token", key: "token", optional: true } },
    });
  });

  it("uses a Ray image whose version matches rayVersion", () => {
    expect(workerContainer.image).toBe(ENDPOINT_DEFAULTS.rayImage);
    const tagVersion = /:(\d+\.\d+\.\d+)-/.exec(workerContainer.image)?.[1];
    expect(rayService.spec.rayClusterConfig.rayVersion).toBe(tagVersion);
  });

  it("keeps every generated name within the 63-character limit even for the longest allowed name", () => {
    const names = [
      `${rayService.metadata.name}-serve-svc`,
      `${rayService.metadata.name}-head-svc`,
      job.metadata.name,
    ];
    for (const name of names) expect(name.length).toBeLessThanOrEqual(63);
    const longest = "x".repeat(MAX_ENDPOINT_NAME_LENGTH);
    // KubeRay: RayCluster <name>-<5 chars>, its head Service <cluster>-head-svc.
    expect(`${longest}-abcde-head-svc`.length).toBeLessThanOrEqual(63);
    expect(`${longest}-litellm-register`.length).toBeLessThanOrEqual(63);
  });

  it("labels children so the CLI can find an endpoint's objects", () => {
    for (const r of gemma.resources) {
      expect(r.object.metadata).toMatchObject({
        namespace: "inference",
        labels: { "app.kubernetes.io/instance": "gemma-4b", "app.kubernetes.io/managed-by": "kro" },
      });
    }
  });
});

describe("the schema the RGD declares", () => {
  const schema = instanceSpecSchema(rgd);

  it("requires model and has the seed's defaults (shared with deploy-model)", () => {
    expect(schema.required).toEqual(["model"]);
    const defaults = Object.fromEntries(
      Object.entries(schema.properties ?? {})
        .filter(([, s]) => s.default !== undefined)
        .map(([k, s]) => [k, s.default]),
    );
    expect(defaults).toEqual(ENDPOINT_DEFAULTS);
  });

  it("defaults instanceFamilies to exactly the gpu-inference NodePool's families", () => {
    const pool = readRepoFile("terraform/30.eks/30.cluster/karpenter/nodepool-gpu-inference.yaml.tftpl");
    const families = /key: karpenter\.k8s\.aws\/instance-family\s+operator: In\s+values: (\[[^\]]*\])/.exec(
      pool,
    )?.[1];
    expect(JSON.parse(families ?? "null")).toEqual(schema.properties?.instanceFamilies?.default);
  });

  it("makes model immutable: the registration Job carries it, and a Job's pod template cannot change", () => {
    expect(schema.properties?.model?.["x-kubernetes-validations"]).toEqual([
      { rule: "self == oldSelf", message: "field is immutable" },
    ]);
    const jobEnv = JSON.stringify(rgd.spec.resources.find((r: Json) => r.id === "registration").template);
    expect(jobEnv).toContain("${schema.spec.model}");
  });

  it("bounds the numbers", () => {
    // Only the GPU counts g5/g6/g6e instances have (issue 17 point 8).
    expect(schema.properties?.gpuCount).toMatchObject({ type: "integer", enum: [1, 2, 4, 8] });
    expect(schema.properties?.minReplicas).toMatchObject({ minimum: 1 });
    expect(schema.properties?.maxReplicas).toMatchObject({ minimum: 1, maximum: 16 });
    expect(schema.properties?.maxModelLen).toMatchObject({ type: "integer", minimum: 512 });
  });

  it("accepts a rayImage through the Docker Hub pull-through cache (output docker_hub_cache_prefix)", () => {
    const pattern = new RegExp(String(schema.properties?.rayImage?.pattern));
    const cached = `123456789012.dkr.ecr.eu-central-1.amazonaws.com/docker-hub/${ENDPOINT_DEFAULTS.rayImage}`;
    expect(pattern.test(cached)).toBe(true);
    expect(pattern.test("rayproject/ray-llm:2.53.0 ; rm -rf /")).toBe(false);
  });

  it("takes workerMemory as Kubernetes does (Ki…Ei, k…E), the same pattern deploy-model checks", () => {
    const source = String(schema.properties?.workerMemory?.pattern);
    expect(source).toBe(MEMORY_PATTERN.source);
    const pattern = new RegExp(source);
    for (const ok of ["24Gi", "512Ki", "1.5Gi", "64G", "500k", "1073741824"])
      expect(pattern.test(ok), ok).toBe(true);
    // Kubernetes has no "ki" (binary suffixes are upper-case) and no "K" (decimal kilo is "k").
    for (const bad of ["1ki", "1K", "24gi", "24 Gi"]) expect(pattern.test(bad), bad).toBe(false);
  });

  it("exposes endpoint, ready and modelStatus read from the RayService with optional access", () => {
    const status = rgd.spec.schema.status;
    expect(Object.keys(status).sort()).toEqual(["endpoint", "modelStatus", "ready"]);
    expect(status.endpoint).toContain("-serve-svc.");
    expect(status.ready).toMatch(/rayservice\.status\.\?conditions\.orValue\(\[\]\)/);
    expect(status.modelStatus).toMatch(/applicationStatuses\.\?llm\.\?status\.orValue/);
  });
});

describe("every ${ in the RGD is a KRO expression", () => {
  const raw = readRepoFile(RGD_PATH);
  const ids = new Set(["schema", ...rgd.spec.resources.map((r: Json) => r.id)]);

  it("finds only expressions rooted at schema or a resource id, or string() of schema fields", () => {
    const expressions = raw
      .split("\n")
      .filter((line) => !line.trimStart().startsWith("#"))
      .flatMap((line) =>
        splitExpressions(line)
          .filter((s) => s.expression)
          .map((s) => s.text),
      );
    expect(expressions.length).toBeGreaterThan(10);
    for (const expr of expressions) {
      const root = /^(?:string\()?([A-Za-z_][A-Za-z0-9_]*)\./.exec(expr)?.[1];
      expect(ids.has(root ?? ""), `unexpected \${${expr}}`).toBe(true);
    }
  });

  it("writes the registration script with $VAR, never ${VAR}", () => {
    expect(script).not.toContain("${");
    expect(script).toMatch(/\$MODEL_NAME/);
  });
});
