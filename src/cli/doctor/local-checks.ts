import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { readTfvars, tfvarsPath } from "../../adapters/tfvars.js";
import type { CheckResult } from "../../core/doctor/checks.js";
import { checkTerraform, fail, ok, skip, warn } from "../../core/doctor/checks.js";
import { findPlaceholders, isPlaceholder } from "../../core/doctor/placeholders.js";
import { AiplatError } from "../../core/errors.js";
import { aiplatCommand } from "../carry-flags.js";
import type { CommandContext } from "../context.js";

export async function checkTerraformBinary(ctx: CommandContext): Promise<CheckResult> {
  try {
    const result = await ctx.adapters.process.run("terraform", ["version", "-json"]);
    const version = (JSON.parse(result.stdout) as { terraform_version?: string }).terraform_version;
    return checkTerraform(version);
  } catch (error) {
    if (error instanceof AiplatError && error.code === "missing-binary") return checkTerraform(undefined);
    return fail(
      "terraform",
      "Terraform",
      `could not run terraform: ${(error as Error).message}`,
      "Reinstall Terraform.",
    );
  }
}

export async function checkRepository(ctx: CommandContext): Promise<{ result: CheckResult; root?: string }> {
  try {
    const root = ctx.root();
    return { result: ok("repository", "Platform repository", root), root };
  } catch (error) {
    const hint = error instanceof AiplatError ? (error.hint ?? "") : "";
    return { result: fail("repository", "Platform repository", (error as Error).message, hint) };
  }
}

export async function checkGit(ctx: CommandContext, root: string | undefined): Promise<CheckResult> {
  const title = "git and remote";
  if (root === undefined) return skip("git", title, "no platform repository");
  const git = ctx.adapters.git(root);
  try {
    if (!(await git.isRepository())) {
      return fail(
        "git",
        title,
        `${root} is not a git repository`,
        "Clone your fork of the repository with git.",
      );
    }
  } catch (error) {
    if (error instanceof AiplatError && error.code === "missing-binary") {
      return fail("git", title, "git is not installed", "Install git.");
    }
    throw error;
  }
  const remote = await git.remoteUrl("origin");
  const branch = await git.currentBranch();
  if (remote === undefined) {
    return fail(
      "git",
      title,
      "no `origin` remote: ArgoCD syncs from your fork's remote",
      "git remote add origin <your fork's URL>",
    );
  }
  if (branch === undefined) return warn("git", title, `origin ${remote}, detached HEAD`, "git switch main");
  return ok("git", title, `origin ${remote}, branch ${branch}`);
}

/** tfvars present and filled in, and region known. Returns the region for later checks. */
export async function checkConfiguration(
  ctx: CommandContext,
  root: string | undefined,
): Promise<{ results: CheckResult[]; region?: string }> {
  const title = `Configuration (${ctx.env})`;
  if (root === undefined) return { results: [skip("tfvars", title, "no platform repository")] };
  const path = tfvarsPath(root, ctx.env);
  const rel = relative(root, path);
  let vars: Record<string, unknown> | undefined;
  try {
    vars = await readTfvars(path);
  } catch (error) {
    return { results: [fail("tfvars", title, (error as Error).message, "aiplat init")] };
  }
  const profile = await ctx.adapters.awsProfile();
  const fromVars = typeof vars?.region === "string" ? vars.region : undefined;
  const region = fromVars ?? profile.region;
  const regionCheck =
    region === undefined
      ? fail(
          "region",
          "AWS region",
          "not set in the tfvars, AWS_REGION or the AWS profile",
          "aiplat init (or export AWS_REGION)",
        )
      : ok("region", "AWS region", `${region} (from ${fromVars ? rel : "the AWS environment"})`);
  if (vars === undefined) {
    return {
      results: [warn("tfvars", title, `${rel} does not exist yet`, initFix(ctx)), regionCheck],
      ...(region === undefined ? {} : { region }),
    };
  }
  const unfilled = findPlaceholders(vars);
  const tfvarsCheck =
    unfilled.length === 0
      ? ok("tfvars", title, rel)
      : fail("tfvars", title, `${rel} has unfilled placeholders: ${unfilled.join(", ")}`, initFix(ctx));
  return {
    results: [tfvarsCheck, regionCheck, await checkArgocdRepo(root)],
    ...(region === undefined ? {} : { region }),
  };
}

/** The argocd/ Applications must point at this fork, not at the placeholder (or someone else). */
async function checkArgocdRepo(root: string): Promise<CheckResult> {
  const title = "ArgoCD repository URL";
  const dir = join(root, "argocd");
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => /\.ya?ml$/.test(f));
  const unset: string[] = [];
  for (const file of files) {
    const text = await readFile(join(dir, file), "utf8");
    for (const match of text.matchAll(/repoURL:\s*["']?([^\s"'#]+)/g)) {
      if (isPlaceholder(match[1] ?? "")) unset.push(file);
    }
  }
  if (files.length === 0) return skip("argocd-repo", title, "no Applications in argocd/");
  return unset.length === 0
    ? ok("argocd-repo", title, `${files.length} Applications point at a real repository`)
    : fail("argocd-repo", title, `still the placeholder in ${[...new Set(unset)].join(", ")}`, "aiplat init");
}

/** `aiplat init` for this environment, with the user's own --root (and cluster flags) carried over. */
function initFix(ctx: CommandContext): string {
  return aiplatCommand({ ...ctx.globals, env: ctx.env }, "init");
}
