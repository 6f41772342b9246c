import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { readTfvars, tfvarsPath } from "../../adapters/tfvars.js";
import { ConfigError } from "../../core/errors.js";
import {
  describeStage,
  discoverStagePaths,
  planStageEntries,
  type StagePlanEntry,
} from "../../core/stages/stages.js";

export interface EnvironmentStages {
  terraformDir: string;
  entries: StagePlanEntry[];
  /** Absolute var files for every stage: <env>.tfvars, then the gitignored <env>.secret.tfvars if present. */
  varFiles: string[];
  tfvars: Record<string, unknown>;
}

/** Reads terraform/ and the environment's tfvars: the stages, their gates and backends. */
export async function loadEnvironmentStages(root: string, env: string): Promise<EnvironmentStages> {
  const terraformDir = join(root, "terraform");
  const varFile = tfvarsPath(root, env);
  const tfvars = await readTfvars(varFile);
  if (!tfvars) {
    throw new ConfigError(
      `Environment ${env} has no configuration: ${relative(root, varFile)} does not exist.`,
      {
        code: "no-tfvars",
        hint: `Run \`aiplat init --env ${env}\` to create it.`,
      },
    );
  }
  const secretFile = join(terraformDir, "00.global", "vars", `${env}.secret.tfvars`);
  const varFiles = existsSync(secretFile) ? [varFile, secretFile] : [varFile];
  const files = await listFiles(terraformDir);
  const paths = discoverStagePaths(files);
  if (paths.length === 0) {
    throw new ConfigError(`No Terraform stages in ${terraformDir} (folders holding a backend.tf).`, {
      code: "no-stages",
      hint: "Run aiplat in your clone of the platform repository, or pass --root <dir>.",
    });
  }
  const stages = await Promise.all(
    paths.map(async (p) => describeStage(p, await readFile(join(terraformDir, p, "backend.tf"), "utf8"))),
  );
  return { terraformDir, entries: planStageEntries(stages, tfvars), varFiles, tfvars };
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === ".terraform" || entry.name.startsWith(".")) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), rel)));
    else if (entry.name === "backend.tf") out.push(rel);
  }
  return out;
}

/** The tfvars `region` (the cluster's and the state bucket's region). */
export function tfvarsRegion(tfvars: Record<string, unknown>): string | undefined {
  return typeof tfvars.region === "string" && tfvars.region !== "" ? tfvars.region : undefined;
}
