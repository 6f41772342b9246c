/**
 * deploy-model from resolved inputs to a pushed commit: resolve the model, validate every value,
 * check the fit, render and validate the InferenceEndpoint, then (unless --dry-run) write and
 * commit exactly its file, push, and optionally follow the rollout.
 */
import type { CatalogModel } from "../../core/catalog/catalog.js";
import { parseDurationOption } from "../../core/duration-option.js";
import {
  formatChanges,
  inheritDeclared,
  type SpecChange,
  specChanges,
} from "../../core/endpoint/declared-values.js";
import { ENDPOINT_DEFAULTS, type EndpointSpec } from "../../core/endpoint/endpoint-spec.js";
import { checkRayImage } from "../../core/endpoint/ray-version.js";
import { describeUnknownModel, resolveModel } from "../../core/endpoint/resolve-model.js";
import { type PlannedEndpoint, planEndpoint } from "../../core/endpoint/resolve-spec.js";
import { type RawDeployInputs, validateDeployInputs } from "../../core/endpoint/validate-inputs.js";
import { UsageError } from "../../core/errors.js";
import {
  CONFIRM_ABOVE_GPUS,
  formatScaleRange,
  maxReplicasWithin,
  type ScaleRange,
  scaleRange,
} from "../../core/fit/scale-range.js";
import { aiplatCommand } from "../carry-flags.js";
import { type Cluster, hasHfToken, namesCluster, requireCluster, tryConnect } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { readGpuNodeLimit } from "../gpu-node-limit.js";
import { declareWorkload, readExistingWorkload, refuseChange } from "./declare-workload.js";
import { fittingGpus } from "./failure-fix.js";
import { checkFit, checkGpuLimit, fitJson, fitLines } from "./fit-report.js";
import { type FollowResult, followDeploy } from "./follow-deploy.js";
import { refuseUnwatchedBranch } from "./git-argocd-branch.js";
import { ensureRepository, pushCommit, replayLines, resolvePushTarget } from "./git-publish.js";
import { withRepository } from "./git-session.js";
import { readCatalog, readRgd, readTemplate } from "./platform-files.js";
import { formatPreview, type Preview, previewEndpoint } from "./render-preview.js";

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

export interface DeployOutcome {
  data: Record<string, unknown>;
  human: string;
}

export async function runDeploy(
  ctx: CommandContext,
  name: string,
  options: DeployOptions,
): Promise<DeployOutcome> {
  const { planned, preview, timeoutMs, limits, unreachableMs, fromCatalog, changes, range } =
    await planDeploy(ctx, name, options);
  const { spec } = planned;
  const base = {
    name: spec.name,
    model: spec.model,
    spec,
    fit: fitJson(planned, spec),
    range,
    changes: changes.length > 0 ? changes : undefined,
  };
  if (options.dryRun) {
    return {
      data: {
        ...base,
        dryRun: true,
        endpoint: preview.endpoint,
        resources: preview.rendered.resources.map((r) => r.object),
      },
      human: [...changeLines(spec.name, changes), formatPreview(preview)].join("\n"),
    };
  }

  await confirmLargeRange(ctx, spec.name, range);
  const root = ctx.root();
  const git = ctx.adapters.git(root);
  await ensureRepository(git);
  // --wait needs the cluster: say so before committing anything.
  let cluster: Cluster | undefined;
  if (options.wait) cluster = await requireCluster(ctx, "--wait");
  else if (planned.gated || namesCluster(ctx)) cluster = (await tryConnect(ctx)).cluster;
  if (cluster && planned.gated && !(await hasHfToken(cluster))) {
    ctx.io.warn(
      `${spec.model} is gated on HuggingFace and inference/hf-token is missing: the download will fail. Add it with \`${aiplatCommand(ctx.globals, "secret hf-token")}\`.`,
    );
  }

  const target = await resolvePushTarget(git);
  if (options.push !== false) await refuseUnwatchedBranch(git, root, target);
  const pushedTo = `${target.remote}/${target.branch}`;
  const message = options.commitMessage ?? `deploy ${spec.name} (${spec.model})`;
  const resume = aiplatCommand(ctx.globals, `deploy-model ${spec.name} --wait`);
  // The diff is on screen before the commit that makes it.
  for (const line of changeLines(spec.name, changes)) ctx.io.info(line);
  const { declared, commit, unpushed, published } = await withRepository(
    ctx,
    git,
    `deploy-model ${spec.name}`,
    async () => {
      const declared = await declareWorkload(git, root, spec, preview.manifestText, {
        force: Boolean(options.force || options.change),
        message,
        verify: options.verify !== false,
      });
      const commit =
        declared.commit ?? (await lastCommitOf(ctx, root, declared.path)) ?? (await git.headCommit());
      // An unchanged declaration committed earlier but never pushed (--no-push, a rejected push):
      // ArgoCD cannot see it, so it is pushed now; --wait would otherwise wait for nothing.
      const unpushed =
        declared.commit !== undefined ||
        !(await isOnRemote(ctx, root, commit, `${target.remote}/${target.branch}`));
      const published =
        unpushed && options.push !== false
          ? await pushCommit(git, target, commit, [declared.path], resume)
          : undefined;
      return { declared, commit: published?.commit ?? commit, unpushed, published };
    },
  );
  const pushed = published !== undefined;
  const lines: string[] = [];
  if (declared.status === "unchanged" && !declared.commit) {
    lines.push(`${spec.name} is already declared in ${declared.path} with these values: nothing to commit.`);
    if (pushed) lines.push(`  its commit ${commit.slice(0, 7)} was not on ${pushedTo} yet: pushed it.`);
    else if (unpushed)
      lines.push(`  its commit ${commit.slice(0, 7)} is not pushed (--no-push): push it with \`git push\`.`);
  } else {
    lines.push(
      `${declared.status === "updated" ? "Updated" : "Declared"} ${spec.name} (${spec.model}) in ${declared.path}.`,
    );
    lines.push(
      `  commit ${commit.slice(0, 7)} "${message}" ${pushed ? `pushed to ${pushedTo}` : "not pushed (--no-push): push it with `git push`"}`,
    );
  }
  if (published) lines.push(...replayLines(published, pushedTo));
  let followed: FollowResult | undefined;
  if (options.wait && cluster) {
    for (const line of lines.splice(0)) ctx.io.info(line);
    followed = await followDeploy(ctx, cluster, {
      name: spec.name,
      namespace: spec.namespace,
      commit,
      pushedTo,
      spec: preview.endpoint.spec as Record<string, unknown>,
      expectedRayServiceSpec: preview.rendered.resources.find((r) => r.object.kind === "RayService")?.object
        .spec as Record<string, unknown> | undefined,
      timeoutMs,
      limits,
      unreachableMs,
      fix: {
        name: spec.name,
        model: spec.model,
        gpuCount: spec.gpuCount,
        deployCommand: `deploy-model ${spec.name}${fromCatalog ? "" : ` --model ${spec.model}`}`,
        fittingGpus: fittingGpus(planned.fit),
      },
    });
    const ttft = followed.timeToFirstTokenMs;
    lines.push(
      `${spec.name} answers through LiteLLM${ttft === undefined ? "" : ` (time to first token ${Math.round(ttft)} ms)`}.`,
    );
    lines.push(`  Try it: ${aiplatCommand(ctx.globals, `chat ${spec.name}`)}`);
  } else if (pushed || declared.status === "unchanged") {
    lines.push(`  ArgoCD syncs it within minutes. Follow it: ${resume}`);
  }
  return {
    data: {
      ...base,
      file: declared.path,
      status: declared.status,
      commit,
      pushed,
      pushedTo: pushed ? pushedTo : undefined,
      replayedOnto: published?.replayedOnto,
      rollout: followed?.steps,
      timeToFirstTokenMs: followed?.timeToFirstTokenMs,
    },
    human: lines.join("\n"),
  };
}

/** On a terminal, a maximum above CONFIRM_ABOVE_GPUS is confirmed first (--yes, --json or no TTY: not asked). */
async function confirmLargeRange(ctx: CommandContext, name: string, range: ScaleRange): Promise<void> {
  if (range.gpus.max <= CONFIRM_ABOVE_GPUS || !ctx.io.interactive) return;
  const ok = await ctx.io.prompt.confirm({
    flag: "--yes",
    message: `${name} may grow to ${range.gpus.max} GPUs${range.hourlyUsd ? ` (about $${range.hourlyUsd.max.toFixed(2)}/h)` : ""}. Commit and push it?`,
    default: false,
  });
  if (!ok) {
    throw new UsageError(`Not confirmed: nothing was written, committed or pushed for ${name}.`, {
      code: "not-confirmed",
      hint: "Lower --max-replicas (or --gpus), or confirm; --yes skips the question.",
    });
  }
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

function changeLines(name: string, changes: readonly SpecChange[]): string[] {
  return changes.length === 0 ? [] : [`Changes to ${name}:`, ...formatChanges(changes)];
}

/** Whether the remote-tracking branch already contains `commit` (as of the last fetch or push). */
async function isOnRemote(
  ctx: CommandContext,
  root: string,
  commit: string,
  tracking: string,
): Promise<boolean> {
  const result = await ctx.adapters.process.run(
    "git",
    ["merge-base", "--is-ancestor", commit, `refs/remotes/${tracking}`],
    { cwd: root },
  );
  // 1: not an ancestor; anything else (no such ref yet): treat as not pushed.
  return result.exitCode === 0;
}

async function lastCommitOf(ctx: CommandContext, root: string, path: string): Promise<string | undefined> {
  const result = await ctx.adapters.process.run("git", ["log", "-1", "--format=%H", "--", path], {
    cwd: root,
  });
  const sha = result.stdout.trim();
  return result.exitCode === 0 && sha !== "" ? sha : undefined;
}
