/**
 * A Ray image must run the Ray minor the RGD pins, rather than rayVersion following the image:
 * KubeRay fills defaults from rayClusterConfig.rayVersion and the Ray docs' RayCluster
 * configuration guide asks that the images carry that same version; and the RGD's serveConfigV2
 * is written for Ray Serve LLM of that minor (`ray.serve.llm:build_openai_app` with `llm_configs`),
 * an API that moves between minors — a rayVersion taken from the image would hand KubeRay a
 * config the other Ray may not read. A patch release is fine; another minor is refused before
 * anything is written.
 */

/** The Ray version at the start of an image tag: `2.53.0-py311-cu128` → 2.53.0; none → undefined. */
export function rayVersionOfImage(image: string): string | undefined {
  const beforeDigest = image.split("@");
  // Stryker disable next-line StringLiteral: split always returns at least one element, so the fallback is never used
  const withoutDigest = beforeDigest[0] ?? "";
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.indexOf(":", lastSlash + 1);
  if (colon < 0) return undefined;
  return /^(\d+\.\d+(?:\.\d+)?)(?![\d])/.exec(withoutDigest.slice(colon + 1))?.[1];
}

function minorOf(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

export type RayImageCheck =
  | { kind: "ok" }
  | { kind: "unknown"; warning: string }
  | { kind: "mismatch"; problem: string };

export function checkRayImage(image: string, rayVersion: string, example: string): RayImageCheck {
  const version = rayVersionOfImage(image);
  const minor = minorOf(rayVersion);
  if (version === undefined) {
    return {
      kind: "unknown",
      warning: `--image ${image} carries no Ray version in its tag: make sure it runs Ray ${minor}.x, the RGD's rayVersion ${rayVersion}.`,
    };
  }
  if (minorOf(version) === minor) return { kind: "ok" };
  return {
    kind: "mismatch",
    problem: `--image ${image} runs Ray ${version}, but the InferenceEndpoint RGD pins rayVersion ${rayVersion}: KubeRay manages the cluster for Ray ${minor} and the serve config uses Ray Serve LLM's ${minor} API, so use a Ray ${minor}.x image (e.g. ${example})`,
  };
}
