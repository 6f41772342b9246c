/**
 * The platform content deploy-model reads from the repository (the user's fork): the catalog,
 * the endpoint template and the RGD; and where workload files live.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { type CatalogModel, parseCatalog } from "../../core/catalog/catalog.js";
import { ConfigError } from "../../core/errors.js";

export const CATALOG_PATH = "templates/models.yaml";
export const TEMPLATE_PATH = "templates/inference-endpoint.yaml";
export const RGD_PATH = "platform/kro-definitions/inference-endpoint.yaml";
export const WORKLOADS_DIR = "platform/workloads";

export function workloadPath(name: string): string {
  return `${WORKLOADS_DIR}/${name}.yaml`;
}

function readRepoFile(root: string, path: string): string {
  try {
    return readFileSync(join(root, path), "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read ${path} in ${root}: ${(error as Error).message}`, {
      code: "missing-platform-file",
      hint: `Restore ${path} from the upstream aiplat repository (git checkout -- ${path}), or pass --root <platform repository>.`,
      cause: error,
    });
  }
}

export function readCatalog(root: string): CatalogModel[] {
  return parseCatalog(readRepoFile(root, CATALOG_PATH));
}

export function readTemplate(root: string): string {
  return readRepoFile(root, TEMPLATE_PATH);
}

export function readRgd(root: string): unknown {
  const text = readRepoFile(root, RGD_PATH);
  try {
    return parse(text);
  } catch (error) {
    throw new ConfigError(`${RGD_PATH} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
}
