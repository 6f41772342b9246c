import { describe, expect, it } from "vitest";
import { serveFailureOf } from "../../src/core/rollout/serve-failure.js";

const RAY_PREFIX =
  "The deployment failed to start 3 times in a row. This may be due to a problem with its constructor or initial health check failing. See controller logs for details. Retrying after 1 seconds. Error:\n";

function failedApp(error: string) {
  return {
    status: "DEPLOY_FAILED",
    message: "Failed to update the deployments ['LLMServer:m'].",
    serveDeploymentStatuses: {
      OpenAiIngress: { status: "HEALTHY" },
      "LLMServer:m": {
        status: "DEPLOY_FAILED",
        message: `${RAY_PREFIX}ray::ServeReplica:llm:LLMServer:m.initialize_and_get_metadata() (pid=1, ip=10.0.0.1)\nTraceback (most recent call last):\n  File "x.py", line 1, in f\n    g()\n${error}`,
      },
    },
  };
}

describe("serveFailureOf: the exception of the failed deployment, and its cause", () => {
  it("names a gated repository", () => {
    const failure = serveFailureOf(
      failedApp(
        "huggingface_hub.errors.GatedRepoError: 401 Client Error. (Request ID: Root=1)\n\nCannot access gated repo for url https://huggingface.co/o/m/resolve/main/config.json.\nAccess to model o/m is restricted. You must have access to it and be authenticated to access it. Please log in.",
      ),
    );
    expect(failure?.cause).toBe("gated-model");
    expect(failure?.summary).toMatch(/^huggingface_hub\.errors\.GatedRepoError: 401 Client Error\./);
    expect(failure?.summary).toContain("Access to model o/m is restricted.");
  });

  it("names GPU memory for torch's and vLLM's errors, shortened at a sentence", () => {
    const oom = serveFailureOf(
      failedApp(
        `torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.00 GiB. ${"More words here. ".repeat(40)}`,
      ),
    );
    expect(oom?.cause).toBe("gpu-memory");
    expect(oom?.summary.length).toBeLessThanOrEqual(402);
    expect(oom?.summary).toMatch(/\. …$/);
    expect(
      serveFailureOf(failedApp("ValueError: No available memory for the cache blocks. Try increasing it."))
        ?.cause,
    ).toBe("gpu-memory");
  });

  it("keeps an unknown error without a cause, and falls back to the app's message", () => {
    expect(serveFailureOf(failedApp("RuntimeError: something else"))).toEqual({
      summary: "RuntimeError: something else",
      cause: undefined,
    });
    expect(serveFailureOf({ status: "DEPLOY_FAILED", message: "Deploying app 'llm' failed" })?.summary).toBe(
      "Deploying app 'llm' failed",
    );
    expect(serveFailureOf({ status: "DEPLOYING" })).toBeUndefined();
  });
});
