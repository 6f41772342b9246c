import { existsSync, statSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ConfigError } from "../../core/errors.js";

/**
 * Writes (or updates) one cluster/user/context triple in a kubeconfig file, keeping everything else
 * in it, like `aws eks update-kubeconfig` does — but the user's credential is an exec plugin that
 * runs aiplat itself, so kubectl needs no AWS CLI either.
 */

export interface KubeconfigEntry {
  /** Name used for the cluster, user and context entries. */
  name: string;
  server: string;
  certificateAuthorityData: string;
  exec: { command: string; args: string[]; env?: { name: string; value: string }[] };
  setCurrent: boolean;
}

interface Named {
  name: string;
  [key: string]: unknown;
}

interface KubeconfigDoc {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  "current-context"?: string;
  [key: string]: unknown;
}

/** Exit 3 when `file` exists and is not a kubeconfig: checked before anything else is asked. */
export async function checkExistingKubeconfig(file: string): Promise<void> {
  if (existsSync(file)) await readKubeconfig(file);
}

export async function writeKubeconfigEntry(
  file: string,
  entry: KubeconfigEntry,
): Promise<{ updated: boolean }> {
  const { stringify } = await import("yaml");
  let doc: KubeconfigDoc = {};
  const existed = existsSync(file);
  if (existed) doc = await readKubeconfig(file);
  doc.apiVersion ??= "v1";
  doc.kind ??= "Config";
  const upsert = (list: Named[] | undefined, item: Named): Named[] => {
    const rest = (list ?? []).filter((i) => i.name !== item.name);
    return [...rest, item];
  };
  const updated = (doc.contexts ?? []).some((c) => c.name === entry.name);
  doc.clusters = upsert(doc.clusters, {
    name: entry.name,
    cluster: { server: entry.server, "certificate-authority-data": entry.certificateAuthorityData },
  });
  doc.users = upsert(doc.users, {
    name: entry.name,
    user: {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: entry.exec.command,
        args: entry.exec.args,
        ...(entry.exec.env && entry.exec.env.length > 0 ? { env: entry.exec.env } : {}),
        interactiveMode: "Never",
        provideClusterInfo: false,
      },
    },
  });
  doc.contexts = upsert(doc.contexts, {
    name: entry.name,
    context: { cluster: entry.name, user: entry.name },
  });
  if (entry.setCurrent || !doc["current-context"]) doc["current-context"] = entry.name;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, stringify(doc), { mode: 0o600 });
  await chmod(file, 0o600);
  return { updated };
}

/** A kubeconfig is at most a few hundred kB; anything far larger is not one (and is not read). */
const MAX_KUBECONFIG_BYTES = 16 * 1024 * 1024;

function notAKubeconfig(file: string, what: string): ConfigError {
  // The file's content is never part of the message: --file may point at any file (a secret).
  return new ConfigError(`${file} is not a kubeconfig: ${what}. Nothing was written.`, {
    code: "bad-kubeconfig",
    hint: "Pass --file <path> to a kubeconfig (or a new file, which is created), or move that file away.",
  });
}

/** The existing file as a kubeconfig document, or exit 3 naming the file and what is wrong. */
async function readKubeconfig(file: string): Promise<KubeconfigDoc> {
  const { parseDocument } = await import("yaml");
  let text: string;
  try {
    if (statSync(file).size > MAX_KUBECONFIG_BYTES) throw notAKubeconfig(file, "it is larger than 16 MB");
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw notAKubeconfig(file, `it cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const parsed = parseDocument(text);
  if (parsed.errors.length > 0) {
    const line = parsed.errors[0]?.linePos?.[0]?.line;
    throw notAKubeconfig(file, `it is not valid YAML${line === undefined ? "" : ` (line ${line})`}`);
  }
  const doc = parsed.toJS() as unknown;
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw notAKubeconfig(
      file,
      `it holds a YAML ${Array.isArray(doc) ? "list" : typeof doc}, not a mapping with clusters, users and contexts`,
    );
  }
  const config = doc as KubeconfigDoc;
  if (config.kind !== undefined && config.kind !== "Config") {
    throw notAKubeconfig(file, "its kind is not Config");
  }
  for (const key of ["clusters", "users", "contexts"] as const) {
    const list = config[key];
    if (
      list !== undefined &&
      list !== null &&
      (!Array.isArray(list) || list.some((i) => typeof i?.name !== "string"))
    ) {
      throw notAKubeconfig(file, `its ${key} is not a list of named entries`);
    }
  }
  return config;
}
