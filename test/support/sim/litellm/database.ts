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

const platformObject = (store: Store, apiVersion: string, kind: string, name: string) =>
  tryGet(store, { apiVersion, kind, name, namespace: NAMESPACE });

/** Whether a pod of the app (label app.kubernetes.io/name) is Ready and not being deleted. */
const appReady = (store: Store, app: string) =>
  tryList(store, "v1", "Pod", { namespace: NAMESPACE, labelSelector: `app.kubernetes.io/name=${app}` }).some(
    (p) => !p.metadata?.deletionTimestamp && isConditionTrue(p, "Ready"),
  );

export function createDatabaseLookup(store: Store): DatabaseLookup {
  return () => {
    if (!platformObject(store, "apps/v1", "StatefulSet", "litellm-postgres")) return undefined;
    const claim = platformObject(store, "v1", "PersistentVolumeClaim", "data-litellm-postgres-0");
    return {
      id: claim?.metadata?.uid ?? "",
      reachable: claim !== undefined && appReady(store, "litellm-postgres"),
    };
  };
}

/**
 * Whether LiteLLM answers at all: on the platform (the ai-platform/litellm Deployment exists) only
 * while one of its pods is Ready — before that the process is not listening, and after its pods
 * are gone nothing is. Without the Deployment in the scene the stand-in always answers.
 */
export function createServingLookup(store: Store): () => boolean {
  return () => {
    if (!platformObject(store, "apps/v1", "Deployment", "litellm")) return true;
    return appReady(store, "litellm");
  };
}
