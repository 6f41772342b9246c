import { INSTANCE_TYPES } from "../cloud/instance-types.js";
import type { CloudLedger } from "../cloud/ledger.js";
import type { SimulatedTerraform } from "../cloud/terraform.js";
import type { KarpenterController } from "../karpenter/controller.js";
import type { KubeRayController } from "../kuberay/controller.js";
import type { LiteLlmServer } from "../litellm/server.js";
import type { Activity } from "../runtime/controller.js";
import type { ControllerName, SimControls } from "./server.js";

/** The work-queue name of each controller the control URL can stop and start. */
const QUEUE_NAMES: Record<Exclude<ControllerName, "litellm">, string> = {
  argocd: "argocd",
  kro: "kro",
  kuberay: "kuberay",
  karpenter: "karpenter",
  "lb-controller": "aws-load-balancer-controller",
  "ebs-csi": "ebs-csi-driver",
};

export interface SimParts {
  activity: Activity;
  ledger: CloudLedger;
  terraform: SimulatedTerraform;
  litellm: LiteLlmServer;
  litellmPort: number;
  karpenter: () => KarpenterController | undefined;
  kuberay: KubeRayController;
}

/**
 * The control URL's levers on the running simulator. Stopping a controller pauses its work queue
 * (its pod is gone: events queue up and are reconciled when it starts again, as a restarted
 * controller re-lists everything); stopping LiteLLM closes its port (connection refused) and
 * starting it listens on the same port again.
 */
export function findSimControls(parts: SimParts): SimControls {
  let litellmRunning = true;
  return {
    ledger: parts.ledger,
    async setRunning(name, running) {
      if (name === "litellm") {
        if (running && !litellmRunning) await parts.litellm.start(parts.litellmPort);
        if (!running && litellmRunning) await parts.litellm.stop();
        litellmRunning = running;
        return true;
      }
      const controllers = parts.activity.named(QUEUE_NAMES[name]);
      if (controllers.length === 0) return false;
      for (const c of controllers) {
        if (running) c.resume();
        else c.pause();
      }
      return true;
    },
    running(name) {
      if (name === "litellm") return litellmRunning;
      return parts.activity.named(QUEUE_NAMES[name]).some((c) => c.isActive);
    },
    capacityFault(family) {
      const karpenter = parts.karpenter();
      const types = INSTANCE_TYPES.filter((t) => t.family === family).map((t) => t.name);
      if (!karpenter || types.length === 0) return undefined;
      const clears = types.map((t) => karpenter.injectCapacityError(t));
      return () => {
        for (const clear of clears) clear();
      };
    },
    modelLoadFault: (endpoint, message) => parts.kuberay.injectModelLoadError(endpoint, message),
    terraform: {
      applied: () => parts.terraform.applied(),
      apply: (stage) => parts.terraform.apply(stage),
      destroy: (stage) => parts.terraform.destroy(stage),
    },
  };
}
