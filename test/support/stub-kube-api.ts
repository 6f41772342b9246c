import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { makeTempDir } from "./temp.js";

/**
 * The smallest API server doctor needs (/version and one secret). Commands that do more use the
 * full test API server in test/support/kube.
 */
export async function startStubKubeApi(options: {
  hfToken?: boolean;
}): Promise<{ kubeconfig: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
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
    token: stub-token
contexts:
- name: stub
  context:
    cluster: stub
    user: stub
current-context: stub
`,
  );
  return { kubeconfig, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
