/** biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform expressions are ${...} in parsed HCL strings */
/**
 * Issue 17 point 18: every worker start downloaded the weights from HuggingFace through the one
 * NAT gateway. The platform now offers an S3 model cache: a bucket from Terraform
 * (cluster_config.model_cache), read through EKS Pod Identity, and an endpoint field modelSource
 * that makes Ray Serve LLM load from it (model_loading_config.model_source.bucket_uri).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { renderInstance } from "../../src/core/kro/index.js";
import { repoRoot } from "../support/paths.js";
import { endpointManifest, loadRgd } from "./support/crd-fixtures.js";
import { asRecord, loadStage } from "./support/terraform-load.js";

// biome-ignore lint/suspicious/noExplicitAny: rendered manifests are walked by field name
type Json = any;

function llmConfig(modelSource?: string): Json {
  const instance = endpointManifest("gemma-4b") as Json;
  if (modelSource !== undefined) instance.spec.modelSource = modelSource;
  const rendered = renderInstance(loadRgd(), instance);
  const rayService = rendered.resources.find((r) => r.id === "rayservice")?.object as Json;
  return { rayService, config: parse(rayService.spec.serveConfigV2).applications[0].args.llm_configs[0] };
}

describe("the endpoint's model source", () => {
  test("without modelSource the weights come from HuggingFace (the model id)", () => {
    const { config } = llmConfig();
    expect(config.model_loading_config).toEqual({
      model_id: "google/gemma-3-4b-it",
      model_source: "google/gemma-3-4b-it",
    });
  });

  test("with modelSource: s3://… Ray Serve LLM reads the bucket (model_source.bucket_uri)", () => {
    const uri = "s3://ai-platform-dev-models-123456789012/google/gemma-3-4b-it";
    const { config } = llmConfig(uri);
    expect(config.model_loading_config).toEqual({
      model_id: "google/gemma-3-4b-it",
      model_source: { bucket_uri: uri },
    });
  });

  test("modelSource takes only an s3:// URI (nothing that could break out of the serve config)", () => {
    for (const bad of ["https://example.com/x", "s3://Bad_Bucket/x", 's3://bucket/x"}', "s3://bucket/a b"]) {
      expect(() => llmConfig(bad), bad).toThrow(/modelSource/);
    }
    expect(() => llmConfig("s3://my-bucket")).not.toThrow();
  });

  test("the choice is one CEL expression with double-quoted strings only (KRO's scanner ignores single quotes)", () => {
    const line = readFileSync(join(repoRoot, "platform/kro-definitions/inference-endpoint.yaml"), "utf8")
      .split("\n")
      .find((l) => l.includes("model_source:"));
    expect(line).toMatch(
      /model_source: \$\{schema\.spec\.modelSource == "" \? schema\.spec\.model : ".*"\}$/,
    );
    expect(line).not.toContain("'");
  });

  test("the Ray pods run as the service account Terraform gives the cache's Pod Identity", () => {
    const { rayService } = llmConfig();
    const cluster = rayService.spec.rayClusterConfig;
    expect(cluster.headGroupSpec.template.spec.serviceAccountName).toBe("inference-endpoint");
    for (const group of cluster.workerGroupSpecs)
      expect(group.template.spec.serviceAccountName).toBe("inference-endpoint");
  });
});

describe("Terraform's model cache bucket", async () => {
  const stage = await loadStage(join(repoRoot, "terraform"), "30.eks/30.cluster");
  const resources = (type: string) =>
    stage.files.flatMap((f) => Object.entries(asRecord(asRecord(f.json.resource)[type])));
  const body = (type: string, name: string) =>
    asRecord((resources(type).find(([n]) => n === name)?.[1] as unknown[] | undefined)?.[0]);

  test("is off by default (cluster_config.model_cache) and named per cluster and account", () => {
    const bucket = body("aws_s3_bucket", "model_cache");
    expect(bucket.count).toBe("${local.model_cache_enabled ? 1 : 0}");
    expect(bucket.bucket).toBe("${local.cluster_name}-models-${local.account_id}");
    const variables = stage.files.find((f) => f.name === "global-variables.tf");
    expect(JSON.stringify(variables?.json)).toContain("model_cache = optional(bool, false)");
  });

  test("is private, encrypted and TLS-only", () => {
    expect(body("aws_s3_bucket_public_access_block", "model_cache")).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(
      JSON.stringify(body("aws_s3_bucket_server_side_encryption_configuration", "model_cache")),
    ).toContain("AES256");
    const policy = JSON.stringify(
      stage.files.map((f) => asRecord(asRecord(f.json.data).aws_iam_policy_document).model_cache_tls_only),
    );
    expect(policy).toContain("aws:SecureTransport");
    expect(policy).toContain('"Deny"');
  });

  test("is readable, read-only, by the inference-endpoint service account through Pod Identity", () => {
    const association = body("aws_eks_pod_identity_association", "model_cache_reader");
    expect(association.namespace).toBe(
      "${kubernetes_service_account_v1.inference_endpoint.metadata[0].namespace}",
    );
    expect(body("kubernetes_service_account_v1", "inference_endpoint")).toMatchObject({
      metadata: [{ name: "${local.inference_service_account}" }],
    });
    const read = JSON.stringify(
      stage.files.map((f) => asRecord(asRecord(f.json.data).aws_iam_policy_document).model_cache_read),
    );
    const actions = [...read.matchAll(/"(s3:[A-Za-z*]+)"/g)].map((m) => m[1]).sort();
    expect(actions).toEqual(["s3:GetObject", "s3:ListBucket"]);
    expect(JSON.stringify(stage.files.map((f) => f.json.output))).toContain("model_cache_bucket");
  });
});

describe("aiplat init and model_cache", () => {
  test("a hand-set model_cache survives init's rewrite of the tfvars", async () => {
    const { parseTfvarsText } = await import("../../src/adapters/tfvars.js");
    const { readTfvarsAnswers, renderTfvars } = await import("../../src/core/init/tfvars.js");
    const example = readFileSync(join(repoRoot, "terraform/00.global/vars/example.tfvars"), "utf8");
    const withCache = example.replace("model_cache = false", "model_cache = true");
    const answers = readTfvarsAnswers(await parseTfvarsText("dev.tfvars", withCache));
    expect(answers.modelCache).toBe(true);
    const written = renderTfvars("dev", {
      region: "eu-central-1",
      vpcCidr: "10.4.0.0/16",
      prefix: "ai-platform",
      kubernetesVersion: "1.35",
      idcInstanceArn: "",
      idcRegion: "",
      ...answers,
    } as Parameters<typeof renderTfvars>[1]);
    expect(readTfvarsAnswers(await parseTfvarsText("dev.tfvars", written)).modelCache).toBe(true);
  });
});
