/**
 * deploy-model's plan: everything that can be decided before anything is written — the model
 * resolved, every value validated, the fit and the GPU limit checked, the InferenceEndpoint
 * rendered and validated, and how it changes a declaration already in git. Bad input is exit 2
 * here, before any I/O that writes.
 */
import type { CatalogModel } from "../../core/catalog/catalog.js";
import { parseDurationOption } from "../../core/duration-option.js";
import { inheritDeclared, type SpecChange, specChanges } from "../../core/endpoint/declared-values.js";
import { ENDPOINT_DEFAULTS, type EndpointSpec } from "../../core/endpoint/endpoint-spec.js";
import { checkRayImage } from "../../core/endpoint/ray-version.js";
import { describeUnknownModel, resolveModel } from "../../core/endpoint/resolve-model.js";
import { type PlannedEndpoint, planEndpoint } from "../../core/endpoint/resolve-spec.js";
import { type RawDeployInputs, validateDeployInputs } from "../../core/endpoint/validate-inputs.js";
import { UsageError } from "../../core/errors.js";
import {
  formatScaleRange,
  maxReplicasWithin,
  type ScaleRange,
  scaleRange,
} from "../../core/fit/scale-range.js";
import { aiplatCommand } from "../carry-flags.js";
import type { CommandContext } from "../context.js";
import { readGpuNodeLimit } from "../gpu-node-limit.js";
import { readExistingWorkload, refuseChange } from "./declare-workload.js";
import { checkFit, checkGpuLimit, fitLines } from "./fit-report.js";
import { readCatalog, readRgd, readTemplate } from "./platform-files.js";
import { type Preview, previewEndpoint } from "./render-preview.js";

export interface DeployOptions extends Omit<RawDeployInputs, "name" | "image" | "instanceFamily"> {
  image?: string | undefined;
  /** --instance-family, each occurrence as given (comma-separated lists allowed). */
  instanceFamily?: string[] | undefined;
  dryRun?: boolean;
  push?: boolean;
  wait?: boolean;
  force?: boolean;
  /** false: `--no-verify`, skip the repository's commit hooks. */
  verify?: boolean;
  timeout?: string | undefined;
  /** Change a declared endpoint without --force (`aiplat scale`, whose only values are replicas). */
  change?: boolean;
  /** The commit's subject (`aiplat scale` says what it changed); default "deploy <name> (<model>)". */
  commitMessage?: string | undefined;
  imagePullTimeout?: string | undefined;
  capacityTimeout?: string | undefined;
  unreachableTimeout?: string | undefined;
}

export const DEFAULT_TIMEOUT = "30m";
export const DEFAULT_IMAGE_PULL_TIMEOUT = "5m";
export const DEFAULT_CAPACITY_TIMEOUT = "3m";
export const DEFAULT_UNREACHABLE_TIMEOUT = "2m";

function parseTimeout(flag: string, value: string): number {
  return parseDurationOption(flag, value);
}
const GATED_ORGS = new Set(["google", "meta-llama", "mistralai"]);

async function chooseFromCatalog(
  ctx: CommandContext,
  name: string,
  catalog: readonly CatalogModel[],
  suggestions: string[],
) {
  const { message, hint } = describeUnknownModel(name, suggestions);
  if (!ctx.io.interactive)
    throw new UsageError(message, { code: "unknown-model", hint, details: { suggestions } });
  ctx.io.warn(message);
  const ordered = [...catalog].sort(
    (a, b) => Number(!suggestions.includes(a.name)) - Number(!suggestions.includes(b.name)),
  );
  return ctx.io.prompt.select<CatalogModel>({
    flag: "--model",
    message: "Deploy which catalog model?",
    choices: ordered.map((m) => ({ name: `${m.name}  ${m.model}`, value: m, description: m.description })),
  });
}

export interface DeployPlan {
  planned: PlannedEndpoint;
  preview: Preview;
  timeoutMs: number;
  limits: { imagePullMs: number; capacityMs: number };
  unreachableMs: number;
  /** The endpoint is the catalog entry of its name (`deploy-model <name>` alone re-declares it). */
  fromCatalog: boolean;
  /** How the declaration already in git changes (empty for a new or identical one). */
  changes: SpecChange[];
  range: ScaleRange;
}

/** Everything that can be decided without writing: exit 2 on any bad value, before any I/O. */
export async function planDeploy(
  ctx: CommandContext,
  name: string,
  options: DeployOptions,
): Promise<DeployPlan> {
  const root = ctx.root();
  const raw: RawDeployInputs = {
    name,
    model: options.model,
    gpus: options.gpus,
    minReplicas: options.minReplicas,
    maxReplicas: options.maxReplicas,
    maxModelLen: options.maxModelLen,
    workerMemory: options.workerMemory,
    workerCpu: options.workerCpu,
    image: options.image,
    instanceFamily: options.instanceFamily?.join(","),
  };
  const timeoutMs = parseTimeout("--timeout", options.timeout ?? DEFAULT_TIMEOUT);
  const limits = {
    imagePullMs: parseTimeout("--image-pull-timeout", options.imagePullTimeout ?? DEFAULT_IMAGE_PULL_TIMEOUT),
    capacityMs: parseTimeout("--capacity-timeout", options.capacityTimeout ?? DEFAULT_CAPACITY_TIMEOUT),
  };
  const unreachableMs = parseTimeout(
    "--unreachable-timeout",
    options.unreachableTimeout ?? DEFAULT_UNREACHABLE_TIMEOUT,
  );
  if (options.wait && options.push === false) {
    throw new UsageError(
      "--wait follows what ArgoCD syncs from the remote, so it cannot be combined with --no-push.",
      {
        code: "invalid-input",
        hint: `Drop --no-push, or push later and run \`${aiplatCommand(ctx.globals, `deploy-model ${name} --wait`)}\`.`,
      },
    );
  }
  validateDeployInputs(raw);
  // Already declared: change it, keeping every value the command line does not give.
  const existing = readExistingWorkload(root, name);
  const { raw: effective } = inheritDeclared(raw, existing?.spec);
  const catalog = await readCatalog(root);
  let resolution = resolveModel(catalog, name, effective.model);
  if (resolution.kind === "unknown") {
    const chosen = await chooseFromCatalog(ctx, name, catalog, resolution.suggestions);
    resolution = { kind: "catalog", model: chosen.model, entry: chosen };
  }
  const inputs = validateDeployInputs(effective, { contextLimit: resolution.entry?.contextLimit });
  const planned = planEndpoint({ model: resolution.model, entry: resolution.entry }, inputs);
  if (!resolution.entry) planned.gated = GATED_ORGS.has(resolution.model.split("/")[0]?.toLowerCase() ?? "");
  const gpuLimit = await readGpuNodeLimit(root, ctx.env);
  const lowered =
    inputs.maxReplicas === undefined ? maxReplicasWithin(planned.spec, gpuLimit.limit) : undefined;
  if (lowered !== undefined) {
    ctx.io.info(
      `maxReplicas lowered from ${planned.spec.maxReplicas} to ${lowered}: ${lowered} × ${planned.spec.gpuCount} GPUs is the most ${gpuLimit.source} (${gpuLimit.limit}) holds (pass --max-replicas to choose).`,
    );
    planned.spec.maxReplicas = lowered;
  }
  for (const line of fitLines(planned)) ctx.io.info(line);
  checkFit(planned, Boolean(options.force), (m) => ctx.io.warn(m));
  const range = scaleRange(planned.spec, planned.fit);
  ctx.io.info(formatScaleRange(range));
  checkGpuLimit(
    range,
    gpuLimit,
    Boolean(options.force),
    (m) => ctx.io.warn(m),
    aiplatCommand(ctx.globals, "up"),
  );
  const preview = await previewEndpoint(readTemplate(root), await readRgd(root), planned.spec, {
    strict: !options.dryRun,
  });
  checkImageRayVersion(ctx, planned.spec, preview);
  const changes = existing
    ? specChanges(existing.spec, preview.endpoint.spec as Record<string, unknown>)
    : [];
  if (existing && !options.dryRun)
    refuseChange(existing, planned.spec, changes, Boolean(options.force || options.change), (args) =>
      aiplatCommand(ctx.globals, args),
    );
  const fromCatalog = resolution.entry !== undefined && resolution.entry.name === planned.spec.name;
  return { planned, preview, timeoutMs, limits, unreachableMs, fromCatalog, changes, range };
}

/** Exit 2 when --image (given or declared) runs another Ray minor than the RGD's rayVersion. */
function checkImageRayVersion(ctx: CommandContext, spec: EndpointSpec, preview: Preview): void {
  if (spec.rayImage === undefined) return;
  const rayService = preview.rendered.resources.find((r) => r.object.kind === "RayService")?.object;
  const rayVersion = (rayService?.spec as { rayClusterConfig?: { rayVersion?: unknown } } | undefined)
    ?.rayClusterConfig?.rayVersion;
  if (typeof rayVersion !== "string") return;
  const check = checkRayImage(spec.rayImage, rayVersion, ENDPOINT_DEFAULTS.rayImage);
  if (check.kind === "unknown") ctx.io.warn(check.warning);
  if (check.kind === "mismatch") {
    throw new UsageError(`Invalid input: ${check.problem}.`, {
      code: "ray-version-mismatch",
      hint: `Pass a Ray ${rayVersion.split(".").slice(0, 2).join(".")}.x image, or leave --image out for the RGD's default.`,
      details: { image: spec.rayImage, rayVersion },
    });
  }
}
