/**
 * deploy-model from its plan (deploy-plan.ts) to a pushed commit: write and commit exactly the
 * endpoint's file, push, and optionally follow the rollout.
 */
import { formatChanges, type SpecChange } from "../../core/endpoint/declared-values.js";
import { UsageError } from "../../core/errors.js";
import { CONFIRM_ABOVE_GPUS, type ScaleRange } from "../../core/fit/scale-range.js";
import { aiplatCommand } from "../carry-flags.js";
import { type Cluster, hasHfToken, namesCluster, requireCluster, tryConnect } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { declareWorkload } from "./declare-workload.js";
import { type DeployOptions, planDeploy } from "./deploy-plan.js";
import { fittingGpus } from "./failure-fix.js";
import { fitJson } from "./fit-report.js";
import { type FollowResult, followDeploy } from "./follow-deploy.js";
import { refuseUnwatchedBranch } from "./git-argocd-branch.js";
import { ensureRepository, pushCommit, replayLines, resolvePushTarget } from "./git-publish.js";
import { withRepository } from "./git-session.js";
import { formatPreview } from "./render-preview.js";

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
