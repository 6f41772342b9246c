/**
 * The platform content deploy-model reads from the repository (the user's fork): the catalog,
 * the endpoint template and the RGD; and where workload files live.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CatalogModel } from "../../core/catalog/catalog.js";
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

/**
 * Parsing the catalog and the RGD with the yaml package costs ~250 ms on a cold start (most of
 * deploy-model --dry-run's time), so their parsed form is kept in .aiplat/cache (ignored by git),
 * keyed by a hash of the file's text: an edited file is parsed again. A cache that cannot be read
 * or written is simply not used.
 */
async function cached<T>(
  root: string,
  path: string,
  text: string,
  build: (text: string) => Promise<T>,
): Promise<T> {
  const hash = createHash("sha256").update(text).digest("hex");
  const file = join(root, ".aiplat", "cache", `${path.replace(/[/\\]/g, "_")}.json`);
  try {
    const entry = JSON.parse(readFileSync(file, "utf8")) as { hash?: string; value?: T };
    if (entry.hash === hash && entry.value !== undefined) return entry.value;
  } catch {
    // no cache yet, or unreadable: parse below
  }
  const value = await build(text);
  try {
    mkdirSync(join(root, ".aiplat", "cache"), { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify({ hash, value }), { mode: 0o600 });
  } catch {
    // a read-only checkout still works, only slower
  }
  return value;
}

export async function readCatalog(root: string): Promise<CatalogModel[]> {
  return cached(root, CATALOG_PATH, readRepoFile(root, CATALOG_PATH), async (text) =>
    (await import("../../core/catalog/catalog.js")).parseCatalog(text),
  );
}

export function readTemplate(root: string): string {
  return readRepoFile(root, TEMPLATE_PATH);
}

export async function readRgd(root: string): Promise<unknown> {
  return cached(root, RGD_PATH, readRepoFile(root, RGD_PATH), async (text) => {
    const { parse } = await import("yaml");
    try {
      return parse(text) as unknown;
    } catch (error) {
      throw new ConfigError(`${RGD_PATH} is not valid YAML: ${(error as Error).message}`, { cause: error });
    }
  });
}
