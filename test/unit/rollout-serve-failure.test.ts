import { describe, expect, it } from "vitest";
import { serveFailureOf } from "../../src/core/rollout/serve-failure.js";

// How `deploy-model --wait` words a DEPLOY_FAILED Ray Serve app: the exception of the deployment
// whose replicas kept dying (ray serve/_private/deployment_state.py), and its cause when it has a
// known fix (README: gated model → accept the licence and set the token; out of GPU memory → --gpus).

const deployment = (status: string, message?: string) => ({
  status: "DEPLOY_FAILED",
  message: "Failed to update the deployments ['LLMServer:m'].",
  serveDeploymentStatuses: { "LLMServer:m": { status, ...(message === undefined ? {} : { message }) } },
});

describe("the failed deployment's message", () => {
  it("is read from a DEPLOY_FAILED or UNHEALTHY deployment, never from a healthy one or one without a message", () => {
    expect(serveFailureOf(deployment("UNHEALTHY", "Error:\nRuntimeError: replica died"))?.summary).toBe(
      "RuntimeError: replica died",
    );
    const appMessage = "Failed to update the deployments ['LLMServer:m'].";
    expect(serveFailureOf(deployment("HEALTHY", "Error:\nRuntimeError: old"))?.summary).toBe(appMessage);
    expect(serveFailureOf(deployment("DEPLOY_FAILED"))?.summary).toBe(appMessage);
    expect(serveFailureOf(deployment("DEPLOY_FAILED", ""))?.summary).toBe(appMessage);
    expect(serveFailureOf(undefined)).toBeUndefined();
  });

  it("keeps from the exception line on, without the actor line and frames", () => {
    expect(
      serveFailureOf(
        deployment(
          "DEPLOY_FAILED",
          'The deployment failed to start 3 times in a row. Error:\nray::ServeReplica:llm (pid=1)\nTraceback (most recent call last):\n  File "x.py", line 1\ntorch.cuda.OutOfMemoryError: CUDA out of memory.\n  Tried to allocate 2.00 GiB',
        ),
      ),
    ).toEqual({
      summary: "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB",
      cause: "gpu-memory",
    });
    // An exception on the first line: what follows it is kept too, frames included.
    expect(
      serveFailureOf(deployment("DEPLOY_FAILED", "Error:\nValueError: bad config\n  in field gpus"))?.summary,
    ).toBe("ValueError: bad config in field gpus");
    // An exception named alone on its line counts; a line that only mentions errors does not.
    expect(serveFailureOf(deployment("DEPLOY_FAILED", "Errors below:\nMyException\ndetail"))?.summary).toBe(
      "MyException detail",
    );
    expect(
      serveFailureOf(deployment("DEPLOY_FAILED", "1Error: no\n  KeyError: indented\nplain words"))?.summary,
    ).toBe("1Error: no plain words");
  });

  it("without an exception line, drops the actor line, the traceback header and indented frames", () => {
    expect(
      serveFailureOf(
        deployment(
          "DEPLOY_FAILED",
          'Error:\nray::ServeReplica:llm.initialize (pid=7)\nTraceback (most recent call last):\n  File "y.py", line 2\n\nthe worker exited unexpectedly',
        ),
      )?.summary,
    ).toBe("the worker exited unexpectedly");
    // The text before Ray's "Error:" marker is left out, even when the marker starts the message.
    expect(serveFailureOf(deployment("DEPLOY_FAILED", "Error:\nthe worker exited"))?.summary).toBe(
      "the worker exited",
    );
  });
});

describe("the cause with a known fix", () => {
  it.each([
    ["huggingface_hub.errors.GatedRepoError: 403 Client Error.", "gated-model"],
    ["OSError: Cannot access gated repo for url https://huggingface.co/o/m.", "gated-model"],
    ["OSError: Access to model o/m is restricted and you are not in the authorized list.", "gated-model"],
    ["RuntimeError: CUDA out of memory. Tried to allocate 1.00 GiB", "gpu-memory"],
    ["torch.OutOfMemoryError: allocation failed", "gpu-memory"],
    [
      "ValueError: No available memory for the cache blocks. Try increasing gpu_memory_utilization.",
      "gpu-memory",
    ],
    [
      "ValueError: The model's max seq len (8192) is larger than the maximum number of tokens that can be stored in KV cache (4096).",
      "gpu-memory",
    ],
    [
      "ValueError: 2.5 GiB KV cache is needed, which is larger than the available KV cache memory.",
      "gpu-memory",
    ],
    ["ImportError: cannot import name 'x'", undefined],
  ])("%s → %s", (error, cause) => {
    expect(serveFailureOf(deployment("DEPLOY_FAILED", `Error:\n${error}`))?.cause).toBe(cause);
  });
});

describe("the summary's length", () => {
  it("keeps up to 400 characters whole", () => {
    const exact = `RuntimeError: ${"x".repeat(386)}`;
    expect(exact).toHaveLength(400);
    expect(serveFailureOf(deployment("DEPLOY_FAILED", `Error:\n${exact}`))?.summary).toBe(exact);
  });

  it("past 400, cuts at the last sentence within them, else at 400, and marks the cut", () => {
    const long = `RuntimeError: ${"x".repeat(387)}`;
    expect(serveFailureOf(deployment("DEPLOY_FAILED", `Error:\n${long}`))?.summary).toBe(
      `${long.slice(0, 400)} …`,
    );
    // A text that starts with ". " has no sentence to cut at before it.
    const dotted = `. ${"z".repeat(450)}`;
    expect(serveFailureOf({ status: "DEPLOY_FAILED", message: dotted })?.summary).toBe(
      `${dotted.slice(0, 400)} …`,
    );
    const sentences = `RuntimeError: First part. Second part. ${"y".repeat(400)}`;
    expect(serveFailureOf(deployment("DEPLOY_FAILED", `Error:\n${sentences}`))?.summary).toBe(
      "RuntimeError: First part. Second part. …",
    );
  });
});
