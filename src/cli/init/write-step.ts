/**
 * Writes the plan: <env>.tfvars, the secret var file (0600), the HF token (0600), the argocd/
 * repoURLs, and the active environment. Each file is written only when its content changes, so
 * re-running init with the same answers leaves the working tree untouched.
 */
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { rewriteArgoRepo } from "../../adapters/argocd-repo.js";
import { renderSecretTfvars, renderTfvars } from "../../core/init/tfvars.js";
import type { CommandContext } from "../context.js";
import { ensureIgnored } from "../secrets/git-ignore.js";
import type { ExistingState } from "./load.js";
import type { InitPlan } from "./wizard.js";

export interface WriteReport {
  files: {
    tfvars: string;
    secretTfvars?: string | undefined;
    hfToken?: string | undefined;
    argocd: string[];
  };
  /** Repository-relative paths whose content changed. */
  changed: string[];
  /** The active environment (.aiplat/active-env) before and after; it changes unless --no-activate. */
  active: { previous: string | undefined; current: string | undefined };
}

export async function writePlan(
  ctx: CommandContext,
  plan: InitPlan,
  existing: ExistingState,
  options: { activate: boolean } = { activate: true },
): Promise<WriteReport> {
  const root = existing.root;
  const rel = (path: string) => relative(root, path);
  const changed: string[] = [];
  const { answers } = plan;
  const target = { repoUrl: answers.repoUrl, revision: answers.revision };
  // argocd/ is read first: a file that is not valid YAML stops init before anything is written.
  await rewriteArgoRepo(root, target, { dryRun: true });

  if (await writeIfChanged(existing.tfvarsPath, renderTfvars(answers.env, answers)))
    changed.push(rel(existing.tfvarsPath));

  // A secret file is written only where git ignores it (the rule is added first, and said).
  const git = ctx.adapters.git(root);
  const guard = async (path: string) => {
    const rule = await ensureIgnored(git, root, rel(path));
    if (rule === undefined) return;
    ctx.io.info(`Added \`${rule}\` to .gitignore: ${rel(path)} holds a secret and must never be committed.`);
    if (!changed.includes(".gitignore")) changed.push(".gitignore");
  };

  let secretTfvars: string | undefined;
  if (plan.dockerHub.kind === "write") {
    await guard(existing.secretTfvarsPath);
    const text = renderSecretTfvars(answers.env, plan.dockerHub);
    if (await writeIfChanged(existing.secretTfvarsPath, text, 0o600))
      changed.push(rel(existing.secretTfvarsPath));
    secretTfvars = rel(existing.secretTfvarsPath);
  } else if (existing.secretTfvarsExists) {
    secretTfvars = rel(existing.secretTfvarsPath);
  }

  let hfToken: string | undefined;
  if (plan.hfToken.kind === "write") {
    await guard(existing.hfTokenPath);
    if (await writeIfChanged(existing.hfTokenPath, `${plan.hfToken.token}\n`, 0o600))
      changed.push(rel(existing.hfTokenPath));
    hfToken = rel(existing.hfTokenPath);
  } else if (plan.hfToken.kind === "keep") {
    hfToken = rel(existing.hfTokenPath);
  }

  const argo = await rewriteArgoRepo(root, target);
  changed.push(...argo.filter((c) => c.changed).map((c) => c.file));

  const state = ctx.state();
  const previous = await state.activeEnvironment();
  if (options.activate && previous !== answers.env) await state.setActiveEnvironment(answers.env);
  return {
    files: { tfvars: rel(existing.tfvarsPath), secretTfvars, hfToken, argocd: argo.map((c) => c.file) },
    changed,
    active: { previous, current: options.activate ? answers.env : previous },
  };
}

/** Secrets are created with their mode, never widened afterwards; returns whether bytes changed. */
async function writeIfChanged(path: string, text: string, mode?: number): Promise<boolean> {
  let before: string | undefined;
  try {
    before = await readFile(path, "utf8");
  } catch {
    before = undefined;
  }
  if (before === text) {
    if (mode !== undefined) await chmod(path, mode);
    return false;
  }
  await mkdir(dirname(path), { recursive: true, ...(mode !== undefined ? { mode: 0o700 } : {}) });
  await writeFile(path, text, mode !== undefined ? { mode } : {});
  if (mode !== undefined) await chmod(path, mode);
  return true;
}
