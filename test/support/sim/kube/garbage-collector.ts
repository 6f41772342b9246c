import { runGarbageCollection } from "../../kube/deletion.js";
import type { SimClock } from "../runtime/clock.js";
import { type Activity, Controller } from "../runtime/controller.js";
import type { Store } from "../runtime/kube.js";

/**
 * kube-controller-manager's garbage collector (pkg/controller/garbagecollector; Kubernetes docs
 * "Garbage Collection" and "Use Cascading Deletion"): when an owner is gone its dependents are
 * deleted in the background, a foreground deletion (`foregroundDeletion` finalizer) waits until
 * its blocking dependents are gone, an orphan deletion strips their owner references — all
 * asynchronously, `garbageCollectMinutes` after the change, and not at all once the controller
 * manager is gone (the cluster stage destroyed).
 */
export class GarbageCollector {
  private readonly controller: Controller;

  constructor(
    private readonly store: Store,
    clock: SimClock,
    activity: Activity,
    private readonly minutes: number,
  ) {
    this.controller = new Controller("garbage-collector", clock, activity, () =>
      runGarbageCollection(this.store.objects),
    );
    store.objects.cleanup.onGarbage = () => this.controller.enqueueAfter("collect", this.minutes);
    this.controller.onStop(() => {
      store.objects.cleanup.onGarbage = undefined;
    });
  }

  stop(): void {
    this.controller.stop();
  }
}
