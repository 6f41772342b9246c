import type { SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import {
  addFinalizer,
  hasFinalizer,
  isDeleting,
  type KubeObject,
  keyOf,
  removeFinalizer,
  type Store,
  splitKey,
  tryGet,
  tryList,
  watchKind,
} from "../runtime/kube.js";

/**
 * PVC protection (Kubernetes docs "Persistent Volumes — Storage Object in Use Protection";
 * kubernetes pkg/controller/volume/pvcprotection and the StorageObjectInUseProtection admission
 * plugin): every PVC carries `kubernetes.io/pvc-protection`; a deleted PVC stays Terminating while
 * a pod that is not finished (phase other than Succeeded/Failed) mounts it, and goes once none
 * does. Its DELETED watch event is the hook the EBS CSI side (lb/controller.ts) deletes the volume
 * on. Simplification: the finalizer is added by this controller right after creation rather than
 * by admission in the create request itself.
 */
export const PVC_PROTECTION = "kubernetes.io/pvc-protection";
const MANAGER = "kube-controller-manager";

function claimsOf(pod: KubeObject): string[] {
  const volumes = ((
    pod.spec as { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] } | undefined
  )?.volumes ?? []) as { persistentVolumeClaim?: { claimName?: string } }[];
  return volumes.map((v) => v.persistentVolumeClaim?.claimName ?? "").filter((n) => n !== "");
}

const finished = (pod: KubeObject): boolean => {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === "Succeeded" || phase === "Failed";
};

export class PvcProtection {
  private readonly controller: Controller;

  constructor(
    private readonly store: Store,
    clock: SimClock,
    activity: Activity,
  ) {
    this.controller = new Controller("pvc-protection", clock, activity, (key) => this.reconcile(key));
    this.controller.onStop(
      watchKind(store, "v1", "PersistentVolumeClaim", (type, pvc) => {
        if (type !== "DELETED") this.controller.enqueue(keyOf(pvc));
      }),
    );
    this.controller.onStop(
      watchKind(store, "v1", "Pod", (_type, pod) => {
        for (const claim of claimsOf(pod)) this.controller.enqueue(`${pod.metadata?.namespace}/${claim}`);
      }),
    );
  }

  stop(): void {
    this.controller.stop();
  }

  private reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pvc = tryGet(this.store, { apiVersion: "v1", kind: "PersistentVolumeClaim", name, namespace });
    if (!pvc) return;
    if (!isDeleting(pvc)) {
      addFinalizer(this.store, pvc, PVC_PROTECTION, MANAGER);
      return;
    }
    if (!hasFinalizer(pvc, PVC_PROTECTION)) return;
    const inUse = tryList(this.store, "v1", "Pod", { namespace }).some(
      (p) => !finished(p) && claimsOf(p).includes(name),
    );
    if (!inUse) removeFinalizer(this.store, pvc, PVC_PROTECTION, MANAGER);
  }
}
