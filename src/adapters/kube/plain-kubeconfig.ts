/**
 * A kubeconfig file read without @kubernetes/client-node, for its plain shapes only: a server with
 * its CA (inline or a file) or insecure-skip-tls-verify, and a user with a bearer token and/or a
 * client certificate. Anything else — exec plugins (EKS), auth providers, proxies, impersonation,
 * basic auth, token files, a missing user, plain http without insecure-skip-tls-verify, a file that
 * does not parse — gives undefined, and the caller loads the library's KubeConfig: nothing is
 * approximated. What it applies to a request is what KubeConfig.applyToHTTPSOptions applies for the
 * same file (client-node 1.4 config.js applyHTTPSOptions / applyAuthorizationHeader / createAgent;
 * test/adapters/plain-kubeconfig.test.ts compares the two).
 *
 * Why: the library's config module imports every generated API model, which costs about five
 * times a bare `node -e 0` and ~70 MB — more than `aiplat chat --prompt` may take in all.
 */
import { readFileSync } from "node:fs";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent, type RequestOptions } from "node:https";
import { dirname, isAbsolute, join } from "node:path";
import type { Cluster, Context } from "@kubernetes/client-node";
import { parse } from "yaml";
import type { KubeAccess } from "./kube-access.js";

const CLUSTER_KEYS = new Set([
  "server",
  "certificate-authority",
  "certificate-authority-data",
  "insecure-skip-tls-verify",
  "tls-server-name",
]);
const USER_KEYS = new Set([
  "token",
  "client-certificate",
  "client-certificate-data",
  "client-key",
  "client-key-data",
]);

type Fields = Record<string, unknown>;

export interface PlainKubeconfig extends KubeAccess {
  /** The file and context, so the library's KubeConfig can be loaded for the same target. */
  source: { file: string; context: string };
}

const isFields = (v: unknown): v is Fields => typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (fields: Fields) => Object.values(fields).every((v) => typeof v === "string");

function named(list: unknown, key: string, name: unknown): Fields | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = list.find((e) => isFields(e) && e.name === name) as Fields | undefined;
  const fields = entry?.[key] ?? (key === "user" && entry !== undefined ? {} : undefined);
  return isFields(fields) ? fields : undefined;
}

/** Data (base64) or a file (relative to the kubeconfig's folder); the file wins, as in client-node. */
function bytes(root: string, file: unknown, data: unknown): Buffer | undefined {
  if (typeof file === "string" && file !== "")
    return readFileSync(isAbsolute(file) ? file : join(root, file));
  if (typeof data === "string" && data !== "") return Buffer.from(data, "base64");
  return undefined;
}

function read(file: string, wanted: string | undefined): PlainKubeconfig | undefined {
  const doc = parse(readFileSync(file, "utf8")) as unknown;
  if (!isFields(doc)) return undefined;
  const contextName = wanted ?? doc["current-context"];
  if (typeof contextName !== "string" || contextName === "") return undefined;
  const context = named(doc.contexts, "context", contextName);
  if (context === undefined || typeof context.cluster !== "string" || typeof context.user !== "string")
    return undefined;
  const cluster = named(doc.clusters, "cluster", context.cluster);
  const user = named(doc.users, "user", context.user);
  if (cluster === undefined || user === undefined) return undefined;
  if (!Object.keys(cluster).every((k) => CLUSTER_KEYS.has(k))) return undefined;
  if (!Object.keys(user).every((k) => USER_KEYS.has(k)) || !strings(user)) return undefined;
  const { server } = cluster;
  const skipTLSVerify = cluster["insecure-skip-tls-verify"] === true;
  if (typeof server !== "string" || server === "") return undefined;
  if (server.startsWith("http:") && !skipTLSVerify) return undefined; // the library refuses it
  const root = dirname(file);
  const tlsServerName =
    typeof cluster["tls-server-name"] === "string" ? cluster["tls-server-name"] : undefined;
  const ca = bytes(root, cluster["certificate-authority"], cluster["certificate-authority-data"]);
  const cert = bytes(root, user["client-certificate"], user["client-certificate-data"]);
  const key = bytes(root, user["client-key"], user["client-key-data"]);
  const token = typeof user.token === "string" && user.token !== "" ? user.token : undefined;
  const caFile = cluster["certificate-authority"];
  const caData = cluster["certificate-authority-data"];
  const current: Cluster = {
    name: context.cluster,
    server: server.replace(/\/$/, ""),
    skipTLSVerify,
    ...(tlsServerName === undefined ? {} : { tlsServerName }),
    ...(typeof caData === "string" ? { caData } : {}),
    ...(typeof caFile === "string" ? { caFile: isAbsolute(caFile) ? caFile : join(root, caFile) } : {}),
  };
  const contexts: Context[] = (Array.isArray(doc.contexts) ? doc.contexts : [])
    .filter((e): e is Fields => isFields(e) && typeof e.name === "string" && isFields(e.context))
    .map((e) => {
      const c = e.context as Fields;
      return {
        name: e.name as string,
        cluster: String(c.cluster ?? ""),
        user: String(c.user ?? ""),
        ...(typeof c.namespace === "string" ? { namespace: c.namespace } : {}),
      };
    });

  return {
    source: { file, context: contextName },
    getCurrentCluster: () => current,
    getCurrentContext: () => contextName,
    getContexts: () => contexts,
    async applyToHTTPSOptions(target) {
      const opts = target as RequestOptions & { headers?: Record<string, string> };
      if (skipTLSVerify) opts.rejectUnauthorized = false;
      if (tlsServerName !== undefined) opts.servername = tlsServerName;
      if (ca !== undefined) opts.ca = ca;
      if (cert !== undefined) opts.cert = cert;
      if (key !== undefined) opts.key = key;
      opts.headers ??= {};
      if (token !== undefined) opts.headers.Authorization = `Bearer ${token}`;
      const agentOptions = {
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        pfx: opts.pfx,
        passphrase: opts.passphrase,
        ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
        timeout: opts.timeout,
        servername: opts.servername,
      };
      opts.agent = server.startsWith("http:") ? new HttpAgent(agentOptions) : new HttpsAgent(agentOptions);
    },
  };
}

/** The plain kubeconfig at `file` for `context` (default: its current one), or undefined. */
export function readPlainKubeconfig(file: string, context?: string): PlainKubeconfig | undefined {
  try {
    return read(file, context);
  } catch {
    return undefined; // unreadable or malformed: the library says what is wrong, in its words
  }
}
