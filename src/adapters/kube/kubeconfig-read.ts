/**
 * Reads a kubeconfig file without @kubernetes/client-node, for the common cases: a server with its
 * CA (data or file), insecure-skip-tls-verify, tls-server-name, and a user with a token, a client
 * certificate and key (data or files) or a username and password. Anything else — exec plugins,
 * auth providers, token files, proxies, impersonation, a missing context, cluster or user (client-node
 * then applies no TLS settings at all), YAML it
 * cannot read — returns undefined, and the caller loads the file with client-node's KubeConfig as
 * before (which also gives its own error messages). Field names and the rule that relative file
 * paths are relative to the kubeconfig's folder follow client-node (config_types.ts,
 * KubeConfig.loadFromFile / makePathsAbsolute) and the kubeconfig format (clientcmd v1 types).
 */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join } from "node:path";
import { type KubeClientConfig, staticKubeConfig } from "./client-config.js";

export interface SimpleKubeconfig {
  config: KubeClientConfig;
  context: string;
}

type Fields = Record<string, unknown>;

const CLUSTER_FIELDS = new Set([
  "server",
  "certificate-authority",
  "certificate-authority-data",
  "insecure-skip-tls-verify",
  "tls-server-name",
  "extensions",
]);
const USER_FIELDS = new Set([
  "token",
  "client-certificate",
  "client-certificate-data",
  "client-key",
  "client-key-data",
  "username",
  "password",
  "extensions",
]);

const isObject = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);

/** The `name`d entry's `field` object in a kubeconfig list (clusters, users, contexts). */
function entry(list: unknown, name: unknown, field: string): Fields | undefined {
  if (!Array.isArray(list) || typeof name !== "string") return undefined;
  const found = list.find((e) => isObject(e) && e.name === name) as Fields | undefined;
  const value = found?.[field];
  return isObject(value) ? value : undefined;
}

const onlyKnown = (fields: Fields, known: ReadonlySet<string>) =>
  Object.keys(fields).every((k) => known.has(k));
const optionalString = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

export async function readSimpleKubeconfig(
  file: string,
  context: string | undefined,
): Promise<SimpleKubeconfig | undefined> {
  let doc: unknown;
  try {
    const { parse } = await import("yaml");
    doc = parse(await readFile(file, "utf8"));
  } catch {
    return undefined;
  }
  if (!isObject(doc)) return undefined;
  const contextName = context ?? doc["current-context"];
  const ctx = entry(doc.contexts, contextName, "context");
  if (!ctx || typeof contextName !== "string") return undefined;
  const cluster = entry(doc.clusters, ctx.cluster, "cluster");
  const user = entry(doc.users, ctx.user, "user");
  if (!cluster || !user || !onlyKnown(cluster, CLUSTER_FIELDS) || !onlyKnown(user, USER_FIELDS))
    return undefined;
  const server = optionalString(cluster.server);
  if (!server) return undefined;

  const folder = dirname(file);
  const bytes = async (path: unknown, data: unknown): Promise<Buffer | undefined> => {
    const p = optionalString(path);
    if (p) return readFile(isAbsolute(p) ? p : join(folder, p));
    const d = optionalString(data);
    return d ? Buffer.from(d, "base64") : undefined;
  };
  try {
    const token = optionalString(user.token);
    const config = staticKubeConfig({
      server,
      ca: await bytes(cluster["certificate-authority"], cluster["certificate-authority-data"]),
      cert: await bytes(user["client-certificate"], user["client-certificate-data"]),
      key: await bytes(user["client-key"], user["client-key-data"]),
      skipTLSVerify: cluster["insecure-skip-tls-verify"] === true,
      tlsServerName: optionalString(cluster["tls-server-name"]),
      token: token === undefined ? undefined : async () => token,
      username: optionalString(user.username),
      password: optionalString(user.password),
    });
    return { config, context: contextName };
  } catch {
    // An unreadable certificate file: client-node says which, at its first request.
    return undefined;
  }
}
