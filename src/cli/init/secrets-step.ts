/**
 * The optional secrets of init. Neither ever reaches git or argv:
 * - Docker Hub credentials go to the gitignored terraform/00.global/vars/<env>.secret.tfvars (0600),
 *   or stay in TF_VAR_docker_hub_access_token when that is already set. A new token there comes
 *   with a new docker_hub_credentials_version, without which Terraform would never send it. The access token comes from
 *   a hidden prompt or the DOCKER_HUB_TOKEN environment variable, never from a flag.
 * - The HuggingFace token (asked on a TTY only) goes to .aiplat/<env>/hf-token (0600, gitignored),
 *   where `aiplat secret hf-token` picks it up once the cluster exists.
 */
import { checkHfToken } from "../../core/hf-token.js";
import { checkDockerHubUsername, checkSecretValue } from "../../core/init/validate.js";
import type { Redactor } from "../../core/redact.js";
import type { IoHost } from "../../ui/io-host.js";
import type { FieldResolver } from "./resolver.js";

export type DockerHubPlan =
  | { kind: "none" }
  | { kind: "keep"; reason: string }
  | { kind: "write"; username: string; accessToken: string; version: number };

export async function resolveDockerHub(
  r: FieldResolver,
  io: IoHost,
  options: {
    givenUsername?: string | undefined;
    env: Readonly<Record<string, string | undefined>>;
    secretFileExists: boolean;
    secretFileName: string;
    /** What the secret file already holds: a re-run with the same user reuses its token. */
    kept?: { username: string; accessToken: string; version: number } | undefined;
    redactor: Redactor;
  },
): Promise<DockerHubPlan> {
  const tokenFromEnv = options.env.DOCKER_HUB_TOKEN;
  const readToken = async (): Promise<string | undefined> => {
    if (tokenFromEnv !== undefined && tokenFromEnv !== "") {
      const verdict = checkSecretValue(tokenFromEnv);
      if (verdict !== true) {
        r.problems.push(`DOCKER_HUB_TOKEN (environment): ${verdict}`);
        return undefined;
      }
      return tokenFromEnv;
    }
    if (!r.interactive) {
      r.markMissing("DOCKER_HUB_TOKEN (environment variable, with --docker-hub-username)");
      return undefined;
    }
    return io.prompt.password({
      flag: "DOCKER_HUB_TOKEN",
      message: "Docker Hub access token (hidden)",
      validate: checkSecretValue,
    });
  };

  let username = options.givenUsername;
  if (username === undefined) {
    if (options.env.TF_VAR_docker_hub_access_token) {
      return { kind: "keep", reason: "TF_VAR_docker_hub_access_token is set in the environment" };
    }
    if (options.secretFileExists) {
      return {
        kind: "keep",
        reason: `${options.secretFileName} already holds them (--docker-hub-username replaces them)`,
      };
    }
    if (!r.interactive) return { kind: "none" };
    const wanted = await io.prompt.confirm({
      flag: "--docker-hub-username",
      message:
        "Add Docker Hub credentials for the ECR pull-through cache (optional, avoids Docker Hub rate limits)?",
      default: false,
    });
    if (!wanted) return { kind: "none" };
    username = await io.prompt.input({
      flag: "--docker-hub-username",
      message: "Docker Hub user name",
      validate: checkDockerHubUsername,
    });
  } else {
    const verdict = checkDockerHubUsername(username);
    if (verdict !== true) {
      r.reject("--docker-hub-username", username, verdict);
      return { kind: "none" };
    }
  }
  const kept = options.kept;
  const fromEnv = tokenFromEnv !== undefined && tokenFromEnv !== "";
  if (!fromEnv && kept !== undefined && kept.username === username) {
    options.redactor.add(kept.accessToken);
    return {
      kind: "keep",
      reason: `${options.secretFileName} already holds the token of ${username} (DOCKER_HUB_TOKEN replaces it)`,
    };
  }
  const accessToken = await readToken();
  if (accessToken === undefined) return { kind: "none" };
  options.redactor.add(accessToken);
  // Terraform sends a write-only value only when its version changes: new credentials, new number.
  const unchanged = kept !== undefined && kept.username === username && kept.accessToken === accessToken;
  const version = kept === undefined ? 1 : unchanged ? kept.version : kept.version + 1;
  return { kind: "write", username, accessToken, version };
}

export type HfTokenPlan = { kind: "none" } | { kind: "keep" } | { kind: "write"; token: string };

export async function resolveHfToken(
  r: FieldResolver,
  io: IoHost,
  options: { exists: boolean; redactor: Redactor },
): Promise<HfTokenPlan> {
  if (options.exists) return { kind: "keep" };
  if (!r.interactive) return { kind: "none" };
  const token = await io.prompt.password({
    flag: "HF_TOKEN",
    message: "HuggingFace token for gated models (hidden; Enter to skip, `aiplat secret hf-token` later)",
    // The rule of `aiplat secret hf-token`, which later reads this file: a token kept here must pass it.
    validate: (value) => (value.trim() === "" ? true : checkHfToken(value.trim())),
  });
  if (token.trim() === "") return { kind: "none" };
  options.redactor.add(token.trim());
  return { kind: "write", token: token.trim() };
}
