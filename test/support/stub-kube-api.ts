import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { makeTempDir } from "./temp.js";

/** The bearer token the stub accepts (as a real API server accepts only its users' tokens). */
export const STUB_TOKEN = "stub-token";

/**
 * The smallest API server doctor needs (/version and one secret). Commands that do more use the
 * full test API server in test/support/kube. Like a real API server it answers 401 Unauthorized
 * (a Status) to a request without `Authorization: Bearer <STUB_TOKEN>`; `kubeconfigToken` writes
 * another token into the kubeconfig to see that path.
 */
export async function startStubKubeApi(options: { hfToken?: boolean; kubeconfigToken?: string }): Promise<{
  kubeconfig: string;
  requests: { url: string; authorization: string | undefined }[];
  close(): Promise<void>;
}> {
  const requests: { url: string; authorization: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    requests.push({ url: req.url ?? "", authorization: req.headers.authorization });
    if (req.headers.authorization !== `Bearer ${STUB_TOKEN}`) {
      res.statusCode = 401;
      res.end(
        JSON.stringify({
          kind: "Status",
          apiVersion: "v1",
          metadata: {},
          status: "Failure",
          message: "Unauthorized",
          reason: "Unauthorized",
          code: 401,
        }),
      );
      return;
    }
    if (req.url === "/version") {
      res.end(JSON.stringify({ major: "1", minor: "32", gitVersion: "v1.32.4" }));
      return;
    }
    if (req.url?.startsWith("/api/v1/namespaces/inference/secrets/hf-token") && options.hfToken) {
      res.end(
        JSON.stringify({
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "hf-token", namespace: "inference" },
          data: { token: "aGZfeA==" },
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end(
      JSON.stringify({
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        reason: "NotFound",
        code: 404,
        message: "not found",
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const kubeconfig = join(makeTempDir(), "kubeconfig");
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- name: stub
  cluster:
    server: http://127.0.0.1:${port}
    insecure-skip-tls-verify: true
users:
- name: stub
  user:
    token: ${options.kubeconfigToken ?? STUB_TOKEN}
contexts:
- name: stub
  context:
    cluster: stub
    user: stub
current-context: stub
`,
  );
  return { kubeconfig, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
