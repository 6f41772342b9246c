/**
 * LiteLLM's database as the stand-in sees it on the platform: the `litellm-postgres` StatefulSet
 * (platform/apps/litellm/postgres.yaml) with its volume claim `data-litellm-postgres-0`. Models
 * added through /model/new live in that database (`store_model_in_db`), so they are gone with its
 * volume: a new claim (a new uid) is a new, empty database. The database answers while a
 * litellm-postgres pod is Ready (its readiness probe is `pg_isready`).
 *
 * A scene without the StatefulSet (a test that runs only the stand-in) has no platform database:
 * the stand-in keeps its registrations itself and reports the database connected.
 */
import { isConditionTrue, type Store, tryGet, tryList } from "../runtime/kube.js";

export interface LiteLlmDatabase {
  /** Which database: the uid of the volume claim (empty string: no claim yet). */
  id: string;
  reachable: boolean;
}

export type DatabaseLookup = () => LiteLlmDatabase | undefined;

const NAMESPACE = "ai-platform";

export function createDatabaseLookup(store: Store): DatabaseLookup {
  return () => {
    const statefulSet = tryGet(store, {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      name: "litellm-postgres",
      namespace: NAMESPACE,
    });
    if (!statefulSet) return undefined;
    const claim = tryGet(store, {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      name: "data-litellm-postgres-0",
      namespace: NAMESPACE,
    });
    const reachable = tryList(store, "v1", "Pod", {
      namespace: NAMESPACE,
      labelSelector: "app.kubernetes.io/name=litellm-postgres",
    }).some((p) => !p.metadata?.deletionTimestamp && isConditionTrue(p, "Ready"));
    return { id: claim?.metadata?.uid ?? "", reachable: reachable && claim !== undefined };
  };
}

/**
 * Whether LiteLLM answers at all: on the platform (the ai-platform/litellm Deployment exists) only
 * while one of its pods is Ready — before that the process is not listening, and after its pods
 * are gone nothing is. Without the Deployment in the scene the stand-in always answers.
 */
export function createServingLookup(store: Store): () => boolean {
  return () => {
    const deployment = tryGet(store, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: "litellm",
      namespace: NAMESPACE,
    });
    if (!deployment) return true;
    return tryList(store, "v1", "Pod", {
      namespace: NAMESPACE,
      labelSelector: "app.kubernetes.io/name=litellm",
    }).some((p) => !p.metadata?.deletionTimestamp && isConditionTrue(p, "Ready"));
  };
}
