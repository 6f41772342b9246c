/**
 * The Docker Hub credentials were one object variable, `docker_hub_credentials`; they are now
 * `docker_hub_username` and the ephemeral `docker_hub_access_token`, so the token is in no plan file.
 * Terraform only warns about an undeclared variable in a var file, and without a user name the
 * cache's resources would be planned for destruction: an old setting is refused before any plan.
 */
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { ConfigError } from "../../core/errors.js";

const OLD_SETTING = /^\s*docker_hub_credentials\s*=/m;

export async function refuseOldDockerHubSetting(
  root: string,
  env: string,
  varFiles: readonly string[],
  processEnv: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const holders: string[] = [];
  if (processEnv.TF_VAR_docker_hub_credentials !== undefined) holders.push("TF_VAR_docker_hub_credentials");
  for (const file of varFiles) {
    if (OLD_SETTING.test(await readFile(file, "utf8"))) holders.push(relative(root, file));
  }
  if (holders.length === 0) return;
  throw new ConfigError(
    `docker_hub_credentials is no longer read (found in ${holders.join(" and ")}): the Docker Hub user name and token are now two variables, so the token stays out of plan files.`,
    {
      code: "old-docker-hub-setting",
      hint: `Replace it with \`docker_hub_username = "<name>"\` and \`docker_hub_access_token = "<token>"\` in terraform/00.global/vars/${env}.secret.tfvars (or TF_VAR_docker_hub_username and TF_VAR_docker_hub_access_token), or run \`aiplat init --env ${env} --docker-hub-username <name>\` with DOCKER_HUB_TOKEN set.`,
    },
  );
}
