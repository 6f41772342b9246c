/** Reads what init starts from: the answers file and the environment's existing configuration. */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { readTfvars, tfvarsPath } from "../../adapters/tfvars.js";
import { ConfigError, UsageError } from "../../core/errors.js";
import type { TfvarsAnswers } from "../../core/init/answers.js";
import { parseAnswersFile, type RawInit } from "../../core/init/raw-input.js";
import { checkTfvarsRbac, readTfvarsAnswers } from "../../core/init/tfvars.js";

export interface ExistingState {
  root: string;
  tfvarsPath: string;
  secretTfvarsPath: string;
  hfTokenPath: string;
  /** Whether <env>.tfvars exists (then every answer is pre-filled from it). */
  exists: boolean;
  answers: Partial<TfvarsAnswers>;
  /** Mappings of the existing file that are not valid (wrong role, type or id). */
  rbacProblems: string[];
  secretTfvarsExists: boolean;
  /** The Docker Hub credentials the secret tfvars holds, when it parses and holds both values. */
  /** `version`: docker_hub_credentials_version, 1 where the file predates it (Terraform's default). */
  dockerHub?: { username: string; accessToken: string; version: number } | undefined;
  hfTokenExists: boolean;
}

export function secretTfvarsPath(root: string, env: string): string {
  return join(root, "terraform", "00.global", "vars", `${env}.secret.tfvars`);
}

/** Where `aiplat secret hf-token` finds a token given to init: gitignored with all of .aiplat/. */
export function hfTokenPath(root: string, env: string): string {
  return join(root, ".aiplat", env, "hf-token");
}

export async function loadExisting(root: string, env: string): Promise<ExistingState> {
  const path = tfvarsPath(root, env);
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = await readTfvars(path);
  } catch (error) {
    // readTfvars' own hint says "re-create it with aiplat init": that is this command.
    throw new ConfigError((error as Error).message, {
      code: "bad-tfvars",
      hint: `Fix ${env}.tfvars, or move it away to start from scratch: mv ${relative(root, path)} ${relative(root, path)}.bak && aiplat init --env ${env}`,
      cause: error,
    });
  }
  const secret = secretTfvarsPath(root, env);
  const hf = hfTokenPath(root, env);
  return {
    root,
    tfvarsPath: path,
    secretTfvarsPath: secret,
    hfTokenPath: hf,
    exists: parsed !== undefined,
    answers: parsed ? readTfvarsAnswers(parsed) : {},
    rbacProblems: parsed ? checkTfvarsRbac(parsed) : [],
    secretTfvarsExists: existsSync(secret),
    dockerHub: await readDockerHubSecret(secret),
    hfTokenExists: existsSync(hf),
  };
}

/** A secret file that does not parse is replaced only by a new token, never read for one. */
async function readDockerHubSecret(path: string): Promise<ExistingState["dockerHub"]> {
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = await readTfvars(path);
  } catch {
    return undefined;
  }
  // Two variables since the token became write-only (see src/cli/up/docker-hub-variables.ts).
  const username = parsed?.docker_hub_username;
  const accessToken = parsed?.docker_hub_access_token;
  const version = parsed?.docker_hub_credentials_version;
  return typeof username === "string" && typeof accessToken === "string" && accessToken !== ""
    ? {
        username,
        accessToken,
        version: typeof version === "number" && Number.isInteger(version) && version >= 1 ? version : 1,
      }
    : undefined;
}

/** Nothing to pre-fill from (the environment name itself was missing or invalid). */
export function emptyExisting(root: string): ExistingState {
  return {
    root,
    tfvarsPath: "",
    secretTfvarsPath: "",
    hfTokenPath: "",
    exists: false,
    answers: {},
    rbacProblems: [],
    secretTfvarsExists: false,
    hfTokenExists: false,
  };
}

export async function loadAnswersFile(cwd: string, path: string | undefined): Promise<RawInit> {
  if (path === undefined) return {};
  const full = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(full, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read the answers file ${path}: ${(error as Error).message}`, {
      code: "bad-answers-file",
      hint: "Pass --answers with the path of a YAML file whose keys are init's flag names.",
    });
  }
  return parseAnswersFile(path, text);
}
