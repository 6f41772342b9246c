/**
 * deploy-model from resolved inputs to a pushed commit: resolve the model, validate every value,
 * check the fit, render and validate the InferenceEndpoint, then (unless --dry-run) write and
 * commit exactly its file, push, and optionally follow the rollout.
 */
import type { CatalogModel } from "../../core/catalog/catalog.js";
import { parseDurationOption } from "../../core/duration-option.js";
import { describeUnknownModel, resolveModel } from "../../core/endpoint/resolve-model.js";
import { type PlannedEndpoint, planEndpoint } from "../../core/endpoint/resolve-spec.js";
import { type RawDeployInputs, validateDeployInputs } from "../../core/endpoint/validate-inputs.js";
import { UsageError } from "../../core/errors.js";
import { aiplatCommand } from "../carry-flags.js";
import { type Cluster, hasHfToken, requireCluster, tryConnect } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { declareWorkload } from "./declare-workload.js";
import { fittingGpus } from "./failure-fix.js";
import { checkFit, fitJson, fitLines } from "./fit-report.js";
import { type FollowResult, followDeploy } from "./follow-deploy.js";
import { refuseUnwatchedBranch } from "./git-argocd-branch.js";
import { ensureRepository, pushCommit, replayLines, resolvePushTarget } from "./git-publish.js";
import { withRepository } from "./git-session.js";
import { readCatalog, readRgd, readTemplate } from "./platform-files.js";
import { formatPreview, type Preview, previewEndpoint } from "./render-preview.js";

export interface DeployOptions extends Omit<RawDeployInputs, "name" | "image"> {
  image?: string | undefined;
  dryRun?: boolean;
  push?: boolean;
  wait?: boolean;
  force?: boolean;
  /** false: `--no-verify`, skip the repository's commit hooks. */
  verify?: boolean;
  timeout?: string | undefined;
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
        hint: `Drop --no-push, or push later and run \`aiplat deploy-model ${name} --wait\`.`,
      },
    );
  }
  validateDeployInputs(raw);
  const catalog = await readCatalog(root);
  let resolution = resolveModel(catalog, name, options.model);
  if (resolution.kind === "unknown") {
    const chosen = await chooseFromCatalog(ctx, name, catalog, resolution.suggestions);
    resolution = { kind: "catalog", model: chosen.model, entry: chosen };
  }
  const inputs = validateDeployInputs(raw, { contextLimit: resolution.entry?.contextLimit });
  const planned = planEndpoint({ model: resolution.model, entry: resolution.entry }, inputs);
  if (!resolution.entry) planned.gated = GATED_ORGS.has(resolution.model.split("/")[0]?.toLowerCase() ?? "");
  for (const line of fitLines(planned)) ctx.io.info(line);
  checkFit(planned, Boolean(options.force), (m) => ctx.io.warn(m));
  const preview = await previewEndpoint(readTemplate(root), await readRgd(root), planned.spec, {
    strict: !options.dryRun,
  });
  const fromCatalog = resolution.entry !== undefined && resolution.entry.name === planned.spec.name;
  return { planned, preview, timeoutMs, limits, unreachableMs, fromCatalog };
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
  const { planned, preview, timeoutMs, limits, unreachableMs, fromCatalog } = await planDeploy(
    ctx,
    name,
    options,
  );
  const { spec } = planned;
  const base = { name: spec.name, model: spec.model, spec, fit: fitJson(planned, spec) };
  if (options.dryRun) {
    return {
      data: {
        ...base,
        dryRun: true,
        endpoint: preview.endpoint,
        resources: preview.rendered.resources.map((r) => r.object),
      },
      human: formatPreview(preview),
    };
  }

  const root = ctx.root();
  const git = ctx.adapters.git(root);
  await ensureRepository(git);
  // --wait needs the cluster: say so before committing anything.
  let cluster: Cluster | undefined;
  if (options.wait) cluster = await requireCluster(ctx, "--wait");
  else if (planned.gated) cluster = (await tryConnect(ctx)).cluster;
  if (cluster && planned.gated && !(await hasHfToken(cluster))) {
    ctx.io.warn(
      `${spec.model} is gated on HuggingFace and inference/hf-token is missing: the download will fail. Add it with \`${aiplatCommand(ctx.globals, "secret hf-token")}\`.`,
    );
  }

  const target = await resolvePushTarget(git);
  if (options.push !== false) await refuseUnwatchedBranch(git, root, target);
  const pushedTo = `${target.remote}/${target.branch}`;
  const message = `deploy ${spec.name} (${spec.model})`;
  const resume = aiplatCommand(ctx.globals, `deploy-model ${spec.name} --wait`);
  const { declared, commit, unpushed, published } = await withRepository(
    ctx,
    git,
    `deploy-model ${spec.name}`,
    async () => {
      const declared = await declareWorkload(git, root, spec, preview.manifestText, {
        force: Boolean(options.force),
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
