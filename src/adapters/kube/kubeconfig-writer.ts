import { existsSync } from "node:fs";
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

export async function writeKubeconfigEntry(
  file: string,
  entry: KubeconfigEntry,
): Promise<{ updated: boolean }> {
  const { parse, stringify } = await import("yaml");
  let doc: KubeconfigDoc = {};
  const existed = existsSync(file);
  if (existed) {
    try {
      doc = (parse(await readFile(file, "utf8")) as KubeconfigDoc | null) ?? {};
    } catch (error) {
      throw new ConfigError(`${file} is not a readable kubeconfig: ${(error as Error).message}`, {
        code: "bad-kubeconfig",
        hint: "Fix or move that file, or pass --file <path> to write a separate one.",
        cause: error,
      });
    }
  }
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
