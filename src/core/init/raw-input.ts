/**
 * What the user supplied on the command line or in an answers file, before validation. The
 * answers file (`--answers file.yaml`) uses the flag names as keys, so anything written in one
 * can be moved to the other.
 */
import { parse } from "yaml";
import { UsageError } from "../errors.js";
import type { ArgoRole } from "./answers.js";
import { checkIdentityName, isIdentityId } from "./validate.js";

export interface RawInit {
  env?: string | undefined;
  region?: string | undefined;
  prefix?: string | undefined;
  vpcCidr?: string | undefined;
  kubernetesVersion?: string | undefined;
  capabilities?: string | undefined;
  idcInstanceArn?: string | undefined;
  idcRegion?: string | undefined;
  argocdAdmin?: string[] | undefined;
  argocdEditor?: string[] | undefined;
  argocdViewer?: string[] | undefined;
  repoUrl?: string | undefined;
  revision?: string | undefined;
  dockerHubUsername?: string | undefined;
  /** Comma list of IPv4 CIDRs that may reach the public Kubernetes API. */
  apiCidrs?: string | undefined;
}

/** answers-file key → RawInit field; the keys are the flag names without `--`. */
export const ANSWER_KEYS = {
  env: "env",
  region: "region",
  prefix: "prefix",
  "vpc-cidr": "vpcCidr",
  "kubernetes-version": "kubernetesVersion",
  capabilities: "capabilities",
  "idc-instance-arn": "idcInstanceArn",
  "idc-region": "idcRegion",
  "argocd-admin": "argocdAdmin",
  "argocd-editor": "argocdEditor",
  "argocd-viewer": "argocdViewer",
  "repo-url": "repoUrl",
  revision: "revision",
  "docker-hub-username": "dockerHubUsername",
  "api-cidrs": "apiCidrs",
} as const satisfies Record<string, keyof RawInit>;

const LIST_KEYS = new Set(["argocd-admin", "argocd-editor", "argocd-viewer", "capabilities", "api-cidrs"]);

export const ROLE_FLAGS: Record<ArgoRole, "--argocd-admin" | "--argocd-editor" | "--argocd-viewer"> = {
  ADMIN: "--argocd-admin",
  EDITOR: "--argocd-editor",
  VIEWER: "--argocd-viewer",
};
export const ROLE_FIELDS: Record<ArgoRole, "argocdAdmin" | "argocdEditor" | "argocdViewer"> = {
  ADMIN: "argocdAdmin",
  EDITOR: "argocdEditor",
  VIEWER: "argocdViewer",
};

/** Parses an answers file; unknown keys and wrong types are errors (exit 2) naming the key. */
export function parseAnswersFile(path: string, text: string): RawInit {
  let data: unknown;
  try {
    // The failsafe schema reads every scalar as written: `kubernetes-version: 1.30` stays "1.30"
    // instead of becoming the number 1.3.
    data = parse(text, { schema: "failsafe" });
  } catch (error) {
    // Only the line: the parser's message quotes the file, which may be anything (a secret).
    // Not every failure has a position (an alias bomb stops with a plain ReferenceError).
    const first = (error as { linePos?: { line?: number }[] }).linePos?.[0];
    const line = first?.line;
    throw new UsageError(`The --answers file ${path} is not valid YAML${line ? ` (line ${line})` : ""}.`, {
      code: "bad-answers-file",
      hint: "Fix the file; its keys are the flag names of `aiplat init --help`.",
    });
  }
  // An empty file (or only comments) reads as null; the failsafe schema never yields undefined.
  if (data === null) return {};
  if (typeof data !== "object" || Array.isArray(data)) {
    throw badFile(path, "must be a YAML mapping of flag names to values");
  }
  const result: RawInit = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const field = (ANSWER_KEYS as Record<string, keyof RawInit>)[key];
    if (!field) {
      problems.push(`unknown key ${JSON.stringify(key)} (known: ${Object.keys(ANSWER_KEYS).join(", ")})`);
      continue;
    }
    // `key:` with nothing after it is left out (failsafe YAML reads it as "", and `? key` as null).
    if (value === null || value === "") continue;
    if (LIST_KEYS.has(key) && Array.isArray(value)) {
      if (!value.every((v) => typeof v === "string")) {
        problems.push(`${key} must be a list of strings`);
        continue;
      }
      (result as Record<string, unknown>)[field] =
        key === "capabilities" || key === "api-cidrs" ? value.join(",") : value;
      continue;
    }
    // The failsafe schema reads every scalar as a string (no numbers or booleans): what is left is a list or a mapping.
    if (typeof value !== "string") {
      problems.push(`${key} must be a string${LIST_KEYS.has(key) ? " or a list of strings" : ""}`);
      continue;
    }
    (result as Record<string, unknown>)[field] = key.startsWith("argocd-") ? [value] : value;
  }
  if (problems.length > 0) throw badFile(path, problems.join("; "));
  return result;
}

function badFile(path: string, problem: string): UsageError {
  return new UsageError(`The --answers file ${path} is not usable: ${problem}.`, {
    code: "bad-answers-file",
    hint: "Fix the answers file; its keys are the flag names of `aiplat init --help`.",
  });
}

/** A user or group named on the command line: `jane`, `user:jane@example.com`, `group:Platform`, or an id. */
export interface IdentityRef {
  kind: "user" | "group";
  value: string;
  isId: boolean;
}

export function parseIdentityRef(text: string): IdentityRef | string {
  const match = /^(user|group):(.*)/s.exec(text);
  const kind = (match?.[1] as "user" | "group" | undefined) ?? "user";
  const value = (match ? match[2]! : text).trim();
  const verdict = checkIdentityName(value);
  if (verdict !== true) return verdict;
  const isId = isIdentityId(value);
  // Hex and dashes only is an id typed wrong (cut short, a letter off), not somebody's name.
  if (!isId && /^[0-9a-fA-F]{4,}(-[0-9a-fA-F]+)+$/.test(value)) {
    return "is not an identity-store id (a UUID such as 906744a8-1234-5678-9abc-def012345678)";
  }
  return { kind, value, isId };
}

/** Fills fields missing from `primary` (flags) with those of `secondary` (the answers file). */
export function mergeRawInit(primary: RawInit, secondary: RawInit): RawInit {
  const merged: RawInit = { ...secondary };
  for (const [key, value] of Object.entries(primary)) {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) {
      (merged as Record<string, unknown>)[key] = value;
    }
  }
  return merged;
}
