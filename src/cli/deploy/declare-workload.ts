/**
 * Writes platform/workloads/<name>.yaml and commits it alone. An identical declaration is left
 * alone (nothing to commit); a different one is refused unless --force, then updated in place so
 * the file's comments survive.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import type { Git } from "../../adapters/git.js";
import { formatChanges, type SpecChange, specChanges } from "../../core/endpoint/declared-values.js";
import type { EndpointSpec } from "../../core/endpoint/endpoint-spec.js";
import { renderEndpointManifest } from "../../core/endpoint/render-manifest.js";
import { UsageError } from "../../core/errors.js";
import { refuseLocalChanges } from "./git-state.js";
import { workloadPath } from "./platform-files.js";

export type DeclareStatus = "created" | "updated" | "unchanged";

export interface ExistingWorkload {
  path: string;
  text: string;
  spec: Record<string, unknown> | undefined;
}

export function readExistingWorkload(root: string, name: string): ExistingWorkload | undefined {
  const path = workloadPath(name);
  const full = join(root, path);
  if (!existsSync(full)) return undefined;
  const text = readFileSync(full, "utf8");
  let spec: Record<string, unknown> | undefined;
  try {
    spec = (parse(text) as { spec?: Record<string, unknown> } | null)?.spec;
  } catch {
    spec = undefined;
  }
  return { path, text, spec };
}

/**
 * The new manifest's spec equals the file's spec in every field it sets; a field it does not set
 * (a hand-set modelSource) is kept by the in-place update, so it is no difference.
 */
export function sameDeclaration(existing: ExistingWorkload, manifestText: string): boolean {
  const wanted = (parse(manifestText) as { spec?: Record<string, unknown> }).spec ?? {};
  return existing.spec !== undefined && specChanges(existing.spec, wanted).length === 0;
}

/**
 * Before anything is written: a model change is refused always (the RGD makes `model` immutable),
 * any other change unless --force, naming each change so the user sees what --force would do.
 */
export function refuseChange(
  existing: ExistingWorkload,
  spec: EndpointSpec,
  changes: readonly SpecChange[],
  force: boolean,
  command: (args: string) => string,
): void {
  refuseModelChange(existing, spec, command);
  if (changes.length === 0 || force) return;
  throw new UsageError(
    `${existing.path} already declares a different endpoint named ${spec.name}; the command would change:\n${formatChanges(changes).join("\n")}`,
    {
      code: "endpoint-exists",
      hint: `Pick another name, or add --force to change these values (every value you do not give is kept; the file is updated in place).`,
      details: { path: existing.path, changes },
    },
  );
}

/**
 * The RGD declares `model` immutable: the registration Job carries it and a Job's pod template
 * cannot change, so an in-place model change would half-apply (RayService upgraded, LiteLLM
 * still routing to the old model).
 */
function refuseModelChange(
  existing: ExistingWorkload,
  spec: EndpointSpec,
  command: (args: string) => string = (args) => `aiplat ${args}`,
): void {
  const declaredModel = existing.spec?.model;
  if (typeof declaredModel === "string" && declaredModel !== spec.model) {
    throw new UsageError(
      `${spec.name} already serves ${declaredModel}; an endpoint's model cannot change in place (even with --force).`,
      {
        code: "model-immutable",
        hint: `Deploy ${spec.model} under a new name (${command(`deploy-model <new-name> --model ${spec.model}`)}), or \`${command(`undeploy-model ${spec.name} --wait`)}\` first.`,
        details: { path: existing.path, model: declaredModel },
      },
    );
  }
}

export interface DeclareResult {
  status: DeclareStatus;
  path: string;
  /** The commit that declares it (undefined when unchanged and nothing was committed). */
  commit: string | undefined;
}

export async function declareWorkload(
  git: Git,
  root: string,
  spec: EndpointSpec,
  manifestText: string,
  options: { force: boolean; message: string; verify: boolean },
): Promise<DeclareResult> {
  const existing = readExistingWorkload(root, spec.name);
  const path = workloadPath(spec.name);
  if (existing && sameDeclaration(existing, manifestText)) {
    // Declared already; commit it only if it was left uncommitted (e.g. an interrupted run).
    if (!(await git.isDirty(path))) return { status: "unchanged", path, commit: undefined };
    return {
      status: "unchanged",
      path,
      commit: await git.commitPaths([path], options.message, { verify: options.verify }),
    };
  }
  if (existing && !options.force) {
    throw new UsageError(`${path} already declares a different endpoint named ${spec.name}.`, {
      code: "endpoint-exists",
      hint: "Pick another name, or run the same command again with --force to change these values (every value you do not give is kept; the file is updated in place).",
      details: { path },
    });
  }
  // Checked again under the repository lock: another run may have changed the file meanwhile.
  if (existing) refuseModelChange(existing, spec);
  // --force replaces the declaration: never with the user's uncommitted edits folded in unseen.
  if (existing) await refuseLocalChanges(git, path);
  const text = existing ? renderEndpointManifest(existing.text, spec) : manifestText;
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
  try {
    const commit = await git.commitPaths([path], options.message, { verify: options.verify });
    return { status: existing ? "updated" : "created", path, commit };
  } catch (error) {
    // The commit was refused (hook, signing, …): the index is restored; the file goes back too.
    if (existing) writeFileSync(full, existing.text);
    else rmSync(full, { force: true });
    throw error;
  }
}
