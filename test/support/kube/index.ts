/**
 * In-process Kubernetes API server for tests (behaviour spec: README.md in this folder).
 *
 *   const kube = await startKubeServer();
 *   const kc = kube.kubeconfig();            // @kubernetes/client-node KubeConfig
 *   kube.store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "default" } });
 *   await kube.stop();
 */
export type { DeleteOptions, PropagationPolicy } from "./deletion.js";
export { KubeError, type StatusBody } from "./errors.js";
export { type FaultSettings, Faults } from "./faults.js";
export { CONTEXT_NAME, kubeconfigDocument, writeKubeconfig } from "./kubeconfig.js";
export type { ForwardTarget } from "./portforward.js";
export { TypeRegistry } from "./registry.js";
export { type KubeServer, type KubeServerOptions, startKubeServer } from "./server.js";
export type { KindRef, ListOptions, ObjectRef, Store, WatchOptions } from "./store.js";
export type { KubeObject, ObjectMeta, PrinterColumn, ResourceType, ResourceTypeInput } from "./types.js";
export type { PatchType, WriteOptions } from "./writes.js";
