/**
 * Fills templates/inference-endpoint.yaml with an EndpointSpec. parseDocument/setIn keep the
 * template's comments, so the committed platform/workloads/<name>.yaml explains itself.
 */
import { isMap, parseDocument } from "yaml";
import { ConfigError } from "../errors.js";
import type { EndpointSpec } from "./endpoint-spec.js";

const SPEC_FIELDS = [
  "model",
  "gpuCount",
  "minReplicas",
  "maxReplicas",
  "workerMemory",
  "workerCpu",
  "maxModelLen",
] as const;

export function renderEndpointManifest(templateText: string, spec: EndpointSpec): string {
  const doc = parseDocument(templateText);
  const [error] = doc.errors;
  if (error) {
    throw new ConfigError(`templates/inference-endpoint.yaml is not valid YAML: ${error.message}`);
  }
  if (doc.get("kind") !== "InferenceEndpoint" || !isMap(doc.get("spec"))) {
    throw new ConfigError(
      "templates/inference-endpoint.yaml must be an InferenceEndpoint with a spec mapping",
    );
  }
  doc.setIn(["metadata", "name"], spec.name);
  doc.setIn(["metadata", "namespace"], spec.namespace);
  for (const field of SPEC_FIELDS) doc.setIn(["spec", field], spec[field]);
  if (spec.rayImage === undefined) doc.deleteIn(["spec", "rayImage"]);
  else doc.setIn(["spec", "rayImage"], spec.rayImage);
  if (spec.instanceFamilies === undefined) doc.deleteIn(["spec", "instanceFamilies"]);
  else doc.setIn(["spec", "instanceFamilies"], doc.createNode(spec.instanceFamilies, { flow: true }));
  return doc.toString();
}
