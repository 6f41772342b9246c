/**
 * What aiplat's requests, watches and port-forwards need from a kubeconfig: the current cluster's
 * API server and a way to prepare a request for it (TLS material and credentials).
 * @kubernetes/client-node's KubeConfig has exactly this shape, and so does `staticKubeConfig`,
 * which does not load that package: importing it compiles ~800 generated files (~0.4 s of CPU,
 * the largest part of `aiplat status`'s run time — bench/RESULTS.md, status).
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent, type RequestOptions } from "node:https";

export interface KubeClientConfig {
  getCurrentCluster(): { server: string } | null;
  applyToHTTPSOptions(opts: RequestOptions): Promise<void>;
}

export interface StaticKubeCredentials {
  server: string;
  /** PEM bytes (already decoded from *-data or read from the file). */
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
  skipTLSVerify?: boolean | undefined;
  tlsServerName?: string | undefined;
  /** A bearer token, fixed or fetched per request (an EKS token that refreshes itself). */
  token?: (() => Promise<string>) | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

/**
 * A KubeClientConfig from explicit credentials, preparing requests as KubeConfig.applyToHTTPSOptions
 * does for the same fields (client-node src/config.ts: applyHTTPSOptions, applyAuthorizationHeader,
 * createAgent — including its refusal of plain http without insecure-skip-tls-verify).
 */
export function staticKubeConfig(credentials: StaticKubeCredentials): KubeClientConfig {
  const cluster = { server: credentials.server };
  return {
    getCurrentCluster: () => cluster,
    async applyToHTTPSOptions(opts) {
      if (credentials.skipTLSVerify) opts.rejectUnauthorized = false;
      if (credentials.tlsServerName) opts.servername = credentials.tlsServerName;
      if (credentials.ca) opts.ca = credentials.ca;
      if (credentials.cert) opts.cert = credentials.cert;
      if (credentials.key) opts.key = credentials.key;
      const headers = (opts.headers ?? {}) as Record<string, string>;
      opts.headers = headers;
      if (credentials.token) headers.Authorization = `Bearer ${await credentials.token()}`;
      if (credentials.username) opts.auth = `${credentials.username}:${credentials.password ?? ""}`;
      // A fresh agent per request holding the TLS material, as KubeConfig.createAgent makes one.
      const tls = { ca: opts.ca, cert: opts.cert, key: opts.key, servername: opts.servername };
      const agentOptions = credentials.skipTLSVerify ? { ...tls, rejectUnauthorized: false } : tls;
      if (!credentials.server.startsWith("http:")) opts.agent = new HttpsAgent(agentOptions);
      // client-node passes the same options to http.Agent, which ignores the TLS ones.
      else if (credentials.skipTLSVerify) opts.agent = new HttpAgent(agentOptions as object);
      else throw new Error("HTTP protocol is not allowed when skipTLSVerify is not set or false");
    },
  };
}
