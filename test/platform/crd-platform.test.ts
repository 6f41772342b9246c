/**
 * Issue 9: every custom resource the platform ships or renders validates STRICTLY against the
 * upstream CRD (shared/crds): unknown fields — which a real API server would silently prune — are
 * errors. Each check also plants one unknown and one wrongly typed field in a copy, to prove it
 * can fail.
 */
import { Job } from "kubernetes-models/batch/v1/Job";
import { describe, expect, it } from "vitest";
import { generateInstanceCrd } from "../../src/core/kro/index.js";
import { validateAgainstCrd, versionOf } from "../../src/core/validate/index.js";
import {
  crdSkipNote,
  crdsPresent,
  endpointManifest,
  fillTerraformTemplate,
  findYamlFiles,
  loadCatalog,
  loadCrd,
  loadRgd,
  parseDocs,
  readRepoFile,
  renderCatalogModel,
} from "./support/crd-fixtures.js";
import { type Plant, plantMistakes, reportsBoth, valueAtPath } from "./support/crd-planting.js";

const PLACEHOLDER = "tf-placeholder";
const catalogNames = loadCatalog().map((m) => m.name);

function strict(crd: Parameters<typeof loadCrd>[0], object: Record<string, unknown>) {
  return validateAgainstCrd(loadCrd(crd), versionOf(object.apiVersion), object);
}

describe.skipIf(!crdsPresent)(
  `ArgoCD Applications against the Argo CD 3.5.1 Application CRD${crdSkipNote}`,
  () => {
    const files = findYamlFiles("argocd", /\.ya?ml$/);
    const apps = files.flatMap((file) =>
      parseDocs(readRepoFile(file))
        .filter((d) => d.kind === "Application")
        .map((object) => ({ file, object })),
    );

    it("finds the Applications to check", () => {
      expect(apps.length).toBeGreaterThanOrEqual(6);
    });

    it.each(apps.map((a) => [a.file, a.object] as const))("%s", (_file, object) => {
      expect(strict("application", object)).toEqual([]);
      const plant: Plant = {
        unknown: ["spec", "syncPolicy", "syncOption"],
        wrongType: ["spec", "project"],
        wrongValue: 42,
      };
      expect(reportsBoth(strict("application", plantMistakes(object, plant)), plant)).toBe(true);
    });
  },
);

describe.skipIf(!crdsPresent)(`the ResourceGraphDefinition against the KRO 0.9.3 CRD${crdSkipNote}`, () => {
  const rgd = loadRgd();

  it("platform/kro-definitions/inference-endpoint.yaml", () => {
    expect(strict("rgd", rgd)).toEqual([]);
    const plant: Plant = {
      unknown: ["spec", "resources", 0, "readyWhenn"],
      wrongType: ["spec", "schema", "kind"],
      wrongValue: 7,
    };
    expect(reportsBoth(strict("rgd", plantMistakes(rgd, plant)), plant)).toBe(true);
  });
});

describe.skipIf(!crdsPresent)(`resources rendered from the RGD for every catalog model${crdSkipNote}`, () => {
  it("covers gemma-4b and at least two other models", () => {
    expect(catalogNames).toContain("gemma-4b");
    expect(catalogNames.length).toBeGreaterThanOrEqual(3);
  });

  it.each(catalogNames)(
    "%s: the RayService against the KubeRay 1.5.1 CRD, the Job with kubernetes-models",
    (name) => {
      const rendered = renderCatalogModel(name);
      const rayService = rendered.resources.find((r) => r.object.kind === "RayService")?.object;
      expect(rayService).toBeDefined();
      expect(strict("rayService", rayService!)).toEqual([]);
      for (const r of rendered.resources.filter((x) => x.object.kind === "Job")) {
        // biome-ignore lint/suspicious/noExplicitAny: the model validates the shape it is given
        expect(() => new Job(r.object as any).validate()).not.toThrow();
      }
    },
  );

  it("a planted typo (workerGroupSpec) and a string minReplicas are both reported", () => {
    const rayService = renderCatalogModel("gemma-4b").resources[0]!.object;
    const plant: Plant = {
      unknown: ["spec", "rayClusterConfig", "workerGroupSpec"],
      wrongType: ["spec", "rayClusterConfig", "workerGroupSpecs", 0, "minReplicas"],
      wrongValue: "1",
    };
    expect(reportsBoth(strict("rayService", plantMistakes(rayService, plant)), plant)).toBe(true);
  });

  it("kubernetes-models catches a wrongly typed Job field too", () => {
    const job = structuredClone(renderCatalogModel("gemma-4b").resources[1]!.object);
    (job.spec as Record<string, unknown>).backoffLimit = "six";
    // biome-ignore lint/suspicious/noExplicitAny: the model validates the shape it is given
    expect(() => new Job(job as any).validate()).toThrow();
  });
});

describe.skipIf(!crdsPresent)(
  `Karpenter NodePools and EC2NodeClasses (Terraform templates)${crdSkipNote}`,
  () => {
    const files = findYamlFiles("terraform", /\.ya?ml(\.tftpl)?$/);
    const objects = files.flatMap((file) =>
      parseDocs(fillTerraformTemplate(readRepoFile(file)))
        .filter((d) => d.kind === "NodePool" || d.kind === "EC2NodeClass")
        .map((object) => ({ file, object })),
    );
    const crdOf = (kind: unknown) =>
      (kind === "NodePool" ? "nodePool" : "ec2NodeClass") as "nodePool" | "ec2NodeClass";
    // A Terraform placeholder stands where Terraform puts a value; only its type is unknown here.
    const real = (object: Record<string, unknown>) =>
      strict(crdOf(object.kind), object).filter(
        (p) => !(p.message.startsWith("must be") && valueAtPath(object, p.path) === PLACEHOLDER),
      );

    it("finds NodePools (gpu-inference among them) and EC2NodeClasses to check", () => {
      expect(objects.filter((o) => o.object.kind === "NodePool").length).toBeGreaterThan(0);
      expect(objects.filter((o) => o.object.kind === "EC2NodeClass").length).toBeGreaterThan(0);
      expect(objects.map((o) => (o.object.metadata as { name?: string }).name)).toContain("gpu-inference");
    });

    it.each(objects.map((o) => [`${o.file} (${o.object.kind})`, o.object] as const))(
      "%s",
      (_label, object) => {
        expect(real(object)).toEqual([]);
        const plant: Plant =
          object.kind === "NodePool"
            ? {
                unknown: ["spec", "template", "spec", "taint"],
                wrongType: ["spec", "weight"],
                wrongValue: "high",
              }
            : { unknown: ["spec", "amiFamilyy"], wrongType: ["spec", "role"], wrongValue: 5 };
        expect(reportsBoth(real(plantMistakes(object, plant)), plant)).toBe(true);
      },
    );
  },
);

describe("InferenceEndpoints against the CRD KRO generates from the RGD's SimpleSchema", () => {
  const crd = generateInstanceCrd(loadRgd());
  const check = (object: Record<string, unknown>) =>
    validateAgainstCrd(crd, versionOf(object.apiVersion), object);

  it("templates/inference-endpoint.yaml as written", () => {
    const [template] = parseDocs(readRepoFile("templates/inference-endpoint.yaml"));
    expect(check(template!)).toEqual([]);
  });

  it.each(catalogNames)("%s rendered through the template", (name) => {
    expect(check(endpointManifest(name))).toEqual([]);
  });

  it("reports a misspelt field, a string gpuCount, a missing model and an out-of-range count", () => {
    const plant: Plant = { unknown: ["spec", "gpus"], wrongType: ["spec", "gpuCount"], wrongValue: "2" };
    const planted = plantMistakes(endpointManifest("gemma-4b"), plant);
    expect(reportsBoth(check(planted), plant)).toBe(true);
    const noModel = endpointManifest("gemma-4b");
    delete (noModel.spec as Record<string, unknown>).model;
    expect(check(noModel)).toContainEqual({ path: "spec.model", message: "required field is missing" });
    // Issue 17 point 8: no g5/g6/g6e instance has 3, 5, 6, 7 or 16 GPUs.
    for (const gpus of [3, 5, 6, 7, 16]) {
      const odd = endpointManifest("gemma-4b");
      (odd.spec as Record<string, unknown>).gpuCount = gpus;
      expect(check(odd).map((p) => p.path)).toContain("spec.gpuCount");
    }
    for (const gpus of [1, 2, 4, 8]) {
      const fine = endpointManifest("gemma-4b");
      (fine.spec as Record<string, unknown>).gpuCount = gpus;
      expect(check(fine)).toEqual([]);
    }
  });
});
