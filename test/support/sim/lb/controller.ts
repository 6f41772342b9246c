import type { CloudLedger } from "../cloud/ledger.js";
import type { SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import {
  addFinalizer,
  hasFinalizer,
  isDeleting,
  type KubeObject,
  keyOf,
  patchStatus,
  recordEvent,
  removeFinalizer,
  type Store,
  splitKey,
  tryGet,
  watchKind,
} from "../runtime/kube.js";
import {
  createSecurityGroups,
  createTargetGroup,
  deleteLoadBalancer,
  deleteSecurityGroups,
  servicePort,
} from "./resources.js";

/**
 * The AWS Load Balancer Controller (v2.x): a Service of type LoadBalancer gets an NLB, an Ingress
 * (class alb) an ALB — each behind a finalizer (service.k8s.aws/resources,
 * ingress.k8s.aws/resources) and, after `provisionMinutes`, a hostname in
 * status.loadBalancer.ingress. Deleting the object deletes the load balancer (and its ENIs) after
 * `deleteMinutes`, then releases the finalizer. With the controller gone, the finalizer stays and
 * the load balancer keeps billing. (Volumes of claims: ebs-csi.ts, part of the cluster stage.)
 */
const MANAGER = "aws-load-balancer-controller";
const SERVICE_FINALIZER = "service.k8s.aws/resources";
const INGRESS_FINALIZER = "ingress.k8s.aws/resources";
const LB_HOURLY = 0.0225;
/** The controller's retry of a DependencyViolation on DeleteSecurityGroup (its work queue back-off). */
const SG_RETRY_MINUTES = 0.5;

export interface LbOptions {
  clusterName: string;
  provisionMinutes: number;
  deleteMinutes: number;
}

export class LoadBalancerController {
  private readonly controller: Controller;
  private readonly lbs = new Map<string, string>();
  private readonly busy = new Set<string>();
  private readonly keys = new Map<string, [string, string]>();

  constructor(
    private readonly store: Store,
    private readonly clock: SimClock,
    activity: Activity,
    private readonly ledger: CloudLedger,
    private readonly options: LbOptions,
  ) {
    this.controller = new Controller("aws-load-balancer-controller", clock, activity, (key) =>
      this.reconcile(key),
    );
    this.controller.onStop(
      watchKind(store, "v1", "Service", (_t, o) => this.controller.enqueue(`Service|${keyOf(o)}`)),
    );
    this.controller.onStop(
      watchKind(store, "networking.k8s.io/v1", "Ingress", (_t, o) =>
        this.controller.enqueue(`Ingress|${keyOf(o)}`),
      ),
    );
  }

  stop(): void {
    this.controller.stop();
  }

  private reconcile(key: string): void {
    const bar = key.indexOf("|");
    const kind = key.slice(0, bar);
    const { namespace, name } = splitKey(key.slice(bar + 1));
    const apiVersion = kind === "Ingress" ? "networking.k8s.io/v1" : "v1";
    const obj = tryGet(this.store, { apiVersion, kind, name, namespace });
    if (!obj) return;
    const wantsLb =
      kind === "Ingress" || (obj.spec as { type?: string } | undefined)?.type === "LoadBalancer";
    const finalizer = kind === "Ingress" ? INGRESS_FINALIZER : SERVICE_FINALIZER;
    if (isDeleting(obj)) {
      if (hasFinalizer(obj, finalizer)) this.deprovision(obj, finalizer);
      return;
    }
    if (!wantsLb) return;
    addFinalizer(this.store, obj, finalizer, MANAGER);
    const uid = obj.metadata?.uid ?? "";
    if (this.lbs.has(uid) || this.busy.has(uid)) return;
    this.busy.add(uid);
    this.clock.after(this.options.provisionMinutes, () => {
      this.busy.delete(uid);
      if (this.controller.isStopped) return;
      const live = tryGet(this.store, { apiVersion, kind, name, namespace });
      if (!live || isDeleting(live)) return;
      const type = kind === "Ingress" ? "application" : "network";
      const lbName = `k8s-${(namespace ?? "").slice(0, 8)}-${name.slice(0, 8)}-${uid.slice(0, 10)}`;
      const tags = {
        "aiplat:cluster": this.options.clusterName,
        "elbv2.k8s.aws/cluster": this.options.clusterName,
        "service.k8s.aws/stack": `${namespace}/${name}`,
      };
      const groups = createSecurityGroups(this.ledger, this.options.clusterName, lbName, tags);
      const lb = this.ledger.create({
        kind: "load-balancer",
        type,
        name: lbName,
        hourlyPrice: LB_HOURLY,
        tags,
        createdBy: MANAGER,
        securityGroups: groups,
      });
      for (let i = 0; i < 2; i++) {
        this.ledger.create({
          kind: "eni",
          hourlyPrice: 0,
          tags: { ...tags, "delete-on-termination": "true" },
          createdBy: MANAGER,
          attachedTo: lb.id,
          securityGroups: groups,
        });
      }
      createTargetGroup(this.ledger, lb, tags, kind === "Ingress" ? 80 : servicePort(live));
      this.lbs.set(uid, lb.id);
      const hostname = `${lbName}.elb.us-east-1.amazonaws.com`;
      patchStatus(this.store, live, { loadBalancer: { ingress: [{ hostname }] } }, MANAGER);
      recordEvent(this.store, live, "Normal", "SuccessfullyReconciled", "Successfully reconciled", MANAGER);
    });
  }

  private deprovision(obj: KubeObject, finalizer: string): void {
    const uid = obj.metadata?.uid ?? "";
    this.keys.set(uid, [obj.kind ?? "", keyOf(obj)]);
    if (this.busy.has(`deleted:${uid}`)) {
      // The load balancer is gone: release the finalizer (a failed write is retried by the queue).
      removeFinalizer(this.store, obj, finalizer, MANAGER);
      this.busy.delete(`deleted:${uid}`);
      return;
    }
    if (this.busy.has(`delete:${uid}`)) return;
    this.busy.add(`delete:${uid}`);
    this.clock.after(this.lbs.has(uid) ? this.options.deleteMinutes : 0, () => {
      this.busy.delete(`delete:${uid}`);
      if (this.controller.isStopped) return;
      const id = this.lbs.get(uid);
      if (id) deleteLoadBalancer(this.ledger, id);
      this.releaseSecurityGroups(uid, id);
    });
  }

  /**
   * The frontend security group (and the shared backend one, once no load balancer uses it) can
   * only go when the load balancer's ENIs are gone; until then DeleteSecurityGroup answers
   * DependencyViolation and the controller retries, keeping the finalizer.
   */
  private releaseSecurityGroups(uid: string, lbId: string | undefined): void {
    if (this.controller.isStopped) return;
    const lb = lbId ? this.ledger.find(lbId) : undefined;
    if (lb && !deleteSecurityGroups(this.ledger, lb)) {
      this.busy.add(`delete:${uid}`);
      this.clock.after(SG_RETRY_MINUTES, () => {
        this.busy.delete(`delete:${uid}`);
        this.releaseSecurityGroups(uid, lbId);
      });
      return;
    }
    this.lbs.delete(uid);
    this.busy.add(`deleted:${uid}`);
    const [kind, key] = this.keys.get(uid) ?? ["", ""];
    this.controller.enqueue(`${kind}|${key}`);
  }
}
