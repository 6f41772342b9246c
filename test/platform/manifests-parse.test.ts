import { describe, expect, it } from "vitest";
import {
  describeRef,
  isKubeObject,
  listYamlFiles,
  loadYamlFile,
  type ManifestRef,
  parseYamlDocuments,
} from "./support/manifests-load.js";
import { hasModel, isCustomResource, validateWithModel } from "./support/manifests-models.js";

const files = listYamlFiles();

/** Manifests of the files that parse (a file that does not parse fails its own test below). */
function collectManifests(): ManifestRef[] {
  return files.flatMap((file) => {
    try {
      return loadYamlFile(file).flatMap((doc) =>
        isKubeObject(doc.value) ? [{ file, index: doc.index, object: doc.value }] : [],
      );
    } catch {
      return [];
    }
  });
}

const manifests = collectManifests();
const modelled = manifests.filter((m) => hasModel(m.object));

describe("every YAML document under platform/, argocd/ and templates/ parses", () => {
  it("finds the ArgoCD Applications and the platform manifests to check", () => {
    expect(files.filter((f) => f.startsWith("argocd/")).length).toBeGreaterThanOrEqual(6);
    expect(files.filter((f) => f.startsWith("platform/")).length).toBeGreaterThan(0);
  });

  it.each(files)("%s", (file) => {
    expect(() => loadYamlFile(file)).not.toThrow();
  });

  it("reports a broken document with its file name (what a user would be told)", () => {
    expect(() => parseYamlDocuments("platform/broken.yaml", "a: [1, 2\nb: c\n")).toThrow(
      /platform\/broken\.yaml/,
    );
  });
});

describe("built-in kinds validate with kubernetes-models, Applications with @kubernetes-models/argo-cd", () => {
  it("every manifest is either modelled here or a custom resource validated against its CRD", () => {
    const unknown = manifests
      .filter((m) => !hasModel(m.object) && !isCustomResource(m.object))
      .map(describeRef);
    expect(unknown).toEqual([]);
  });

  it.each(modelled.map((m) => [describeRef(m), m] as const))("%s", (_label, ref) => {
    expect(validateWithModel(ref.object)).toBeUndefined();
  });

  it("catches a wrongly typed field (the check is not vacuous)", () => {
    const bad = {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "x" },
      spec: { maxUnavailable: 1, selector: { matchLabels: { replicas: 2 } } },
    };
    expect(validateWithModel(bad)).toMatch(/matchLabels/);
    const badApp = {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Application",
      metadata: { name: "x" },
      spec: { project: 7, destination: {} },
    };
    expect(validateWithModel(badApp)).toMatch(/project/);
  });
});

// Applications and every other custom resource are validated strictly against their upstream CRDs
// (unknown fields included) with src/core/validate in crd-platform.test.ts.
