import type { CloudLedger } from "../cloud/ledger.js";
import type { SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import {
  isDeleting,
  type KubeObject,
  keyOf,
  patchStatus,
  type Store,
  splitKey,
  tryGet,
  tryList,
  watchKind,
} from "../runtime/kube.js";

/**
 * The EBS CSI driver (an EKS add-on of the cluster stage, terraform/30.eks/30.cluster/eks.tf): a
 * PersistentVolumeClaim is Bound to a gp3 volume (dynamic provisioning, reclaimPolicy Delete); the
 * volume is attached to the instance of a node running a pod that mounts the claim and detached
 * when no such pod is left (ControllerPublish/Unpublish); once the claim is gone and the volume is
 * detached, the volume is deleted. All of this happens only while the driver runs: with the driver
 * gone first, a deleted claim's volume stays and bills (kubernetes-sigs/aws-ebs-csi-driver docs;
 * Kubernetes docs, "Persistent Volumes", reclaim policy Delete; kubernetes-csi external-provisioner).
 */
const MANAGER = "ebs-csi-driver";
/** gp3 list price, us-east-1: $0.08 per GiB-month. */
const GP3_GIB_MONTH = 0.08;

export class EbsCsiDriver {
  private readonly controller: Controller;
  /** Claim key ("ns/name") → volume id. */
  private readonly volumes = new Map<string, string>();

  constructor(
    private readonly store: Store,
    clock: SimClock,
    activity: Activity,
    private readonly ledger: CloudLedger,
    private readonly clusterName: string,
  ) {
    this.controller = new Controller(MANAGER, clock, activity, (key) => this.reconcile(key));
    this.controller.onStop(
      watchKind(store, "v1", "PersistentVolumeClaim", (_t, o) => this.controller.enqueue(keyOf(o))),
    );
    // A pod starting or going changes which instance a claim's volume is attached to.
    this.controller.onStop(
      watchKind(store, "v1", "Pod", (_t, pod) => {
        for (const claim of claimsOf(pod))
          this.controller.enqueue(`${pod.metadata?.namespace ?? ""}/${claim}`);
      }),
    );
    for (const pvc of tryList(store, "v1", "PersistentVolumeClaim")) this.controller.enqueue(keyOf(pvc));
  }

  stop(): void {
    this.controller.stop();
  }

  private reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pvc = tryGet(this.store, { apiVersion: "v1", kind: "PersistentVolumeClaim", name, namespace });
    let volumeId = this.volumes.get(key);
    if (pvc && !isDeleting(pvc) && !volumeId) volumeId = this.provision(key, pvc);
    if (!volumeId) return;
    const volume = this.ledger.find(volumeId);
    if (!volume || volume.deletedAtMinute !== undefined) {
      this.volumes.delete(key);
      return;
    }
    const instance = pvc ? this.instanceUsing(namespace ?? "", name) : undefined;
    if (instance) volume.attachedTo = instance;
    else delete volume.attachedTo;
    if (!pvc) {
      this.ledger.delete(volumeId);
      this.volumes.delete(key);
    }
  }

  private provision(key: string, pvc: KubeObject): string {
    const storage =
      (pvc.spec as { resources?: { requests?: { storage?: string } } } | undefined)?.resources?.requests
        ?.storage ?? "1Gi";
    const gib = Number.parseInt(storage, 10) || 1;
    const volume = this.ledger.create({
      kind: "volume",
      type: "gp3",
      name: `pvc-${pvc.metadata?.uid ?? ""}`,
      hourlyPrice: Math.round(((GP3_GIB_MONTH * gib) / 730) * 10000) / 10000,
      tags: {
        "aiplat:cluster": this.clusterName,
        "kubernetes.io/created-for/pvc/name": pvc.metadata?.name ?? "",
        "kubernetes.io/created-for/pvc/namespace": pvc.metadata?.namespace ?? "",
        "ebs.csi.aws.com/cluster": "true",
      },
      createdBy: MANAGER,
    });
    this.volumes.set(key, volume.id);
    patchStatus(this.store, pvc, { phase: "Bound", capacity: { storage } }, MANAGER);
    return volume.id;
  }

  /** The instance of the node a live pod mounting the claim is bound to. */
  private instanceUsing(namespace: string, claim: string): string | undefined {
    for (const pod of tryList(this.store, "v1", "Pod", { namespace })) {
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      if (phase === "Succeeded" || phase === "Failed" || !claimsOf(pod).includes(claim)) continue;
      const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
      if (!nodeName) continue;
      const node = tryGet(this.store, { apiVersion: "v1", kind: "Node", name: nodeName });
      const id = ((node?.spec as { providerID?: string } | undefined)?.providerID ?? "").split("/").pop();
      if (id) return id;
    }
    return undefined;
  }
}

function claimsOf(pod: KubeObject): string[] {
  const volumes = (pod.spec as { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] } | undefined)
    ?.volumes;
  return (volumes ?? []).flatMap((v) =>
    v.persistentVolumeClaim?.claimName ? [v.persistentVolumeClaim.claimName] : [],
  );
}
