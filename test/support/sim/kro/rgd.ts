import {
  generateInstanceCrd,
  instanceApiVersion,
  type ResourceGraphDefinition,
} from "../../../../src/core/kro/index.js";
import { type KubeObject, patchStatus, type Store, tryGet, withCondition } from "../runtime/kube.js";

/**
 * A ResourceGraphDefinition becoming Active: every resource kind it uses must be served, then KRO
 * creates (or updates) the CRD of the instance kind — with a status subresource and State/Ready
 * columns — and reports state Active with its conditions (KRO v0.9 ResourceGraphDefinition status).
 */
const MANAGER = "kro";

export interface RgdInfo {
  name: string;
  apiVersion: string;
  kind: string;
  rgd: ResourceGraphDefinition;
}

export function activateRgd(store: Store, rgdObject: KubeObject): RgdInfo | undefined {
  const rgd = rgdObject as unknown as ResourceGraphDefinition;
  const name = rgdObject.metadata?.name ?? "";
  const missing: string[] = [];
  for (const resource of rgd.spec?.resources ?? []) {
    const t = resource.template as { apiVersion?: string; kind?: string } | undefined;
    if (!t?.apiVersion || !t.kind) continue;
    try {
      store.typeOf({ apiVersion: t.apiVersion, kind: t.kind });
    } catch {
      missing.push(`${t.kind}.${t.apiVersion}`);
    }
  }
  let crd: Record<string, unknown>;
  try {
    if (missing.length > 0) throw new Error(`resource kinds not found in the cluster: ${missing.join(", ")}`);
    crd = generateInstanceCrd(rgd);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    patchStatus(
      store,
      rgdObject,
      {
        state: "Inactive",
        conditions: withCondition((rgdObject.status as { conditions?: unknown })?.conditions, {
          type: "Ready",
          status: "False",
          reason: "InvalidResourceGraph",
          message,
        }),
      },
      MANAGER,
    );
    return undefined;
  }
  const spec = crd.spec as { versions: Record<string, unknown>[] };
  for (const v of spec.versions) {
    v.subresources = { status: {} };
    v.additionalPrinterColumns = [
      { name: "State", type: "string", jsonPath: ".status.state" },
      { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    ];
  }
  const crdName = (crd.metadata as { name: string }).name;
  const existing = tryGet(store, {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    name: crdName,
  });
  if (!existing) store.create(crd, { fieldManager: MANAGER });
  else if (JSON.stringify(existing.spec) !== JSON.stringify(crd.spec)) {
    store.update({ ...crd, metadata: { ...existing.metadata } }, { fieldManager: MANAGER });
  }
  let conditions = (rgdObject.status as { conditions?: unknown })?.conditions;
  for (const type of ["ResourceGraphAccepted", "KindReady", "ControllerReady", "Ready"]) {
    conditions = withCondition(conditions, {
      type,
      status: "True",
      reason: type === "Ready" ? "Ready" : type,
    });
  }
  patchStatus(
    store,
    rgdObject,
    { state: "Active", topologicalOrder: (rgd.spec.resources ?? []).map((r) => r.id), conditions },
    MANAGER,
  );
  return { name, apiVersion: instanceApiVersion(rgd), kind: rgd.spec.schema.kind, rgd };
}
