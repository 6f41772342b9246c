import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import type { KubeObject } from "./manifests-load.js";

interface Validatable {
  validate(): void;
}

type ModelFactory = (object: KubeObject) => Validatable;

// The models take their own typed input; our parsed YAML is `unknown`-shaped by nature, and
// validate() is exactly the check that it has that shape.
// biome-ignore lint/suspicious/noExplicitAny: see above
const as = (object: KubeObject): any => object;

/** Built-in kinds (kubernetes-models) and ArgoCD Applications (@kubernetes-models/argo-cd). */
const factories: Record<string, ModelFactory> = {
  "v1/Namespace": (o) => new Namespace(as(o)),
  "v1/Service": (o) => new Service(as(o)),
  "v1/ConfigMap": (o) => new ConfigMap(as(o)),
  "v1/Secret": (o) => new Secret(as(o)),
  "v1/ServiceAccount": (o) => new ServiceAccount(as(o)),
  "apps/v1/Deployment": (o) => new Deployment(as(o)),
  "apps/v1/StatefulSet": (o) => new StatefulSet(as(o)),
  "batch/v1/Job": (o) => new Job(as(o)),
  "batch/v1/CronJob": (o) => new CronJob(as(o)),
  "policy/v1/PodDisruptionBudget": (o) => new PodDisruptionBudget(as(o)),
  "networking.k8s.io/v1/NetworkPolicy": (o) => new NetworkPolicy(as(o)),
  "argoproj.io/v1alpha1/Application": (o) => new Application(as(o)),
};

/** Custom resources validated elsewhere (against their upstream CRDs by the KRO/CRD tests). */
const customGroups = ["kro.run/", "ray.io/", "karpenter.sh/", "karpenter.k8s.aws/"];

export function modelKey(object: KubeObject): string {
  return `${object.apiVersion}/${object.kind}`;
}

export function hasModel(object: KubeObject): boolean {
  return modelKey(object) in factories;
}

export function isCustomResource(object: KubeObject): boolean {
  return customGroups.some((group) => object.apiVersion.startsWith(group));
}

/** Returns the validation error text, or undefined when the object is valid. */
export function validateWithModel(object: KubeObject): string | undefined {
  const factory = factories[modelKey(object)];
  if (!factory) return `no model for ${modelKey(object)}`;
  try {
    factory(object).validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
