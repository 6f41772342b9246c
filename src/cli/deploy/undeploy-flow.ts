/**
 * undeploy-model: `git rm` the workload file, commit only it, push; deregister the model from
 * LiteLLM (the platform does not); with --wait follow until the GPU nodes are released. Every step
 * is safe to repeat, so running the command again resumes after any failure.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Git } from "../../adapters/git.js";
import { parseDurationOption } from "../../core/duration-option.js";
import { ENDPOINT_NAMESPACE } from "../../core/endpoint/endpoint-spec.js";
import { endpointOperandError } from "../../core/endpoint/validate-inputs.js";
import { UsageError } from "../../core/errors.js";
import { aiplatCommand } from "../carry-flags.js";
import { type Cluster, openLitellm, requireCluster, tryConnect } from "../cluster-access.js";
import type { CommandContext } from "../context.js";
import { ENDPOINT_API } from "./follow-deploy.js";
import { followUndeploy, workerNodes } from "./follow-undeploy.js";
import { refuseUnwatchedBranch } from "./git-argocd-branch.js";
import { ensureRepository, pushCommit, replayLines, resolvePushTarget } from "./git-publish.js";
import { withRepository } from "./git-session.js";
import { refuseLocalChanges } from "./git-state.js";
import { workloadPath } from "./platform-files.js";

export interface UndeployOptions {
  push?: boolean;
  /** false: `--no-verify`, skip the repository's commit hooks. */
  verify?: boolean;
  wait?: boolean;
  timeout?: string | undefined;
  unreachableTimeout?: string | undefined;
}

async function deregister(ctx: CommandContext, cluster: Cluster, name: string): Promise<number | string> {
  let access: Awaited<ReturnType<typeof openLitellm>> | undefined;
  try {
    access = await openLitellm(ctx, cluster);
    const { deregisterModel } = await import("../../adapters/llm/litellm.js");
    return await deregisterModel(access.client, name, ctx.signal);
  } catch (error) {
    return (error as Error).message;
  } finally {
    await access?.close();
  }
}

/** The commit that deleted `path` from the checked-out history, if one did. */
async function removalCommit(git: Git, path: string): Promise<string | undefined> {
  const result = await git.raw(["log", "-1", "--format=%H", "--diff-filter=D", "--", path]);
  const commit = result.exitCode === 0 ? result.stdout.trim() : "";
  return commit === "" ? undefined : commit;
}

export async function runUndeploy(
  ctx: CommandContext,
  name: string,
  options: UndeployOptions,
): Promise<{ data: Record<string, unknown>; human: string }> {
  const invalid = endpointOperandError(name);
  if (invalid) throw invalid;
  const timeoutMs = parseDurationOption("--timeout", options.timeout ?? "30m");
  const unreachableMs = parseDurationOption("--unreachable-timeout", options.unreachableTimeout ?? "2m");
  if (options.wait && options.push === false) {
    throw new UsageError(
      "--wait follows what ArgoCD syncs from the remote, so it cannot be combined with --no-push.",
      {
        code: "invalid-input",
        hint: `Drop --no-push, or push later and follow with \`${aiplatCommand(ctx.globals, `undeploy-model ${name} --wait`)}\`.`,
      },
    );
  }
  const root = ctx.root();
  const git = ctx.adapters.git(root);
  await ensureRepository(git);
  const path = workloadPath(name);
  const declared = existsSync(join(root, path));
  const cluster: Cluster | undefined = options.wait
    ? await requireCluster(ctx, "--wait")
    : (await tryConnect(ctx)).cluster;
  const inCluster = cluster
    ? (await cluster.objects.get(ENDPOINT_API, "InferenceEndpoint", name, ENDPOINT_NAMESPACE)) !== undefined
    : false;
  if (!declared && !inCluster) {
    // A LiteLLM registration left behind by an undeploy that could not reach LiteLLM (`aiplat
    // status` lists it with this command): deregistering it is all that is left to do.
    const leftover = cluster ? await deregister(ctx, cluster, name) : 0;
    if (typeof leftover === "number" && leftover > 0) {
      return {
        data: { name, file: path, pushed: false, deregistered: leftover },
        human: `${name} had no endpoint left; deregistered it from LiteLLM.`,
      };
    }
    // Removed by an earlier run (one that lost the cluster while following, say): repeating the
    // command is how it resumes, so "already gone" is its success, not an unknown name.
    const removedIn = cluster ? await removalCommit(git, path) : undefined;
    if (removedIn) {
      return {
        data: { name, file: path, pushed: false, removedIn },
        human: `${name} is already gone: ${path} was removed in commit ${removedIn.slice(0, 7)} and the cluster has no ${name} left.`,
      };
    }
    throw new UsageError(
      `No endpoint named ${name}: ${path} does not exist${cluster ? " and the cluster has none" : ""}.`,
      {
        code: "unknown-endpoint",
        hint: "List the endpoints with `aiplat models`.",
      },
    );
  }
  const trackedNodes = cluster ? await workerNodes(cluster, name, ENDPOINT_NAMESPACE) : [];
  const target = await resolvePushTarget(git);
  if (declared && options.push !== false) await refuseUnwatchedBranch(git, root, target);
  const pushedTo = `${target.remote}/${target.branch}`;
  const lines: string[] = [];
  let commit: string | undefined;
  let pushed = false;
  if (declared) {
    const resume = aiplatCommand(ctx.globals, `undeploy-model ${name}${options.wait ? " --wait" : ""}`);
    await withRepository(ctx, git, `undeploy-model ${name}`, async () => {
      // Another run may have removed it while this one waited for the lock.
      if (!existsSync(join(root, path))) return;
      // git rm would refuse with its own --cached/-f advice; say what is at stake instead.
      await refuseLocalChanges(git, path, "undeploying would delete them");
      commit = await git.removeAndCommit([path], `undeploy ${name}`, { verify: options.verify !== false });
      lines.push(`Removed ${path} in commit ${commit.slice(0, 7)} "undeploy ${name}".`);
      if (options.push !== false) {
        const published = await pushCommit(git, target, commit, [path], resume);
        commit = published.commit;
        pushed = true;
        lines.push(`  pushed to ${pushedTo}: ArgoCD prunes the endpoint on its next sync.`);
        lines.push(...replayLines(published, pushedTo));
      } else {
        lines.push("  not pushed (--no-push): push it with `git push`.");
      }
    });
    if (commit === undefined) lines.push(`${path} was removed by another run meanwhile.`);
  } else {
    lines.push(`${path} is already gone from git; the cluster still has ${name} until ArgoCD prunes it.`);
  }
  let deregistered: number | string = "cluster unreachable";
  if (cluster) deregistered = await deregister(ctx, cluster, name);
  if (typeof deregistered === "number") {
    lines.push(
      deregistered > 0 ? `  deregistered ${name} from LiteLLM.` : `  ${name} was not registered in LiteLLM.`,
    );
  } else {
    ctx.io.warn(
      `Could not deregister ${name} from LiteLLM (${deregistered}); run \`${aiplatCommand(ctx.globals, `undeploy-model ${name}`)}\` again once the cluster answers.`,
    );
  }
  let rollout: unknown;
  if (options.wait && cluster) {
    for (const line of lines.splice(0)) ctx.io.info(line);
    rollout = await followUndeploy(ctx, cluster, {
      name,
      namespace: ENDPOINT_NAMESPACE,
      commit: commit ?? (await git.headCommit()),
      pushedTo,
      trackedNodes,
      timeoutMs,
      unreachableMs,
    });
    // The registration Job may have re-registered it while it still ran: make sure it is gone.
    const again = await deregister(ctx, cluster, name);
    if (typeof again === "number" && again > 0) deregistered = again;
    lines.push(
      `${name} is gone${trackedNodes.length > 0 ? `; GPU node(s) ${trackedNodes.join(", ")} released` : ""}.`,
    );
  }
  return {
    data: {
      name,
      file: path,
      commit,
      pushed,
      pushedTo: pushed ? pushedTo : undefined,
      deregistered: typeof deregistered === "number" ? deregistered : undefined,
      deregisterError: typeof deregistered === "string" ? deregistered : undefined,
      releasedNodes: options.wait ? trackedNodes : undefined,
      rollout,
    },
    human: lines.join("\n"),
  };
}
