import { UsageError } from "./errors.js";

/** An environment name becomes a Terraform workspace and part of the cluster name: a DNS label. */
const ENV_NAME = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;

export const DEFAULT_ENVIRONMENT = "dev";

export function validateEnvironmentName(name: string, source: string): string {
  if (!ENV_NAME.test(name)) {
    throw new UsageError(
      `Invalid environment name ${JSON.stringify(name)} (from ${source}): use 1-20 lowercase letters, digits or '-', starting with a letter and not ending with '-'.`,
      { code: "invalid-environment", hint: "Example: --env dev" },
    );
  }
  return name;
}

export interface EnvironmentSources {
  flag?: string | undefined;
  envVar?: string | undefined;
  active?: string | undefined;
}

/** CLI.md: --env, else AIPLAT_ENV, else the environment `aiplat init` recorded, else dev. */
export function resolveEnvironment(sources: EnvironmentSources): { name: string; source: string } {
  if (sources.flag !== undefined)
    return { name: validateEnvironmentName(sources.flag, "--env"), source: "--env" };
  if (sources.envVar)
    return { name: validateEnvironmentName(sources.envVar, "AIPLAT_ENV"), source: "AIPLAT_ENV" };
  if (sources.active) {
    return {
      name: validateEnvironmentName(sources.active, ".aiplat/active-env"),
      source: ".aiplat/active-env",
    };
  }
  return { name: DEFAULT_ENVIRONMENT, source: "default" };
}
