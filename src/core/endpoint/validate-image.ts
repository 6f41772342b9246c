/**
 * Container image references, checked against the distribution reference grammar that
 * registries and containerd use (github.com/distribution/reference, regexp.go / reference.go)
 * and the OCI image-spec digest rules (descriptor.md: sha256 = 64, sha512 = 128 lowercase hex):
 *
 *   reference := name [":" tag] ["@" digest]
 *   name      := [domain "/"] path-component ("/" path-component)*   (at most 255 characters)
 *   domain    := domain-component ("." domain-component)* [":" port] | "[" IPv6 "]" [":" port]
 *   path-component := [a-z0-9]+ (separator [a-z0-9]+)*,  separator := [_.] | "__" | "-"+
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ":" hex, algorithm := [a-z0-9]+ ([+._-][a-z0-9]+)*
 *
 * The first component is a domain only when it holds "." or ":" or is "localhost" (or is
 * upper-case), exactly as reference.splitDockerDomain decides.
 */
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const ALGORITHM = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*$/;
const NAME_MAX = 255;
/** Registered algorithms with their exact encoded length (OCI image-spec). */
const DIGEST_HEX: Record<string, number> = { sha256: 64, sha512: 128 };

function checkDomain(domain: string): string | undefined {
  const bracketed = domain.startsWith("[");
  // Stryker disable next-line StringLiteral: both branches give at least one element, so the default is never used
  const [host = "", port, extra] = bracketed
    ? [
        domain.slice(0, domain.indexOf("]") + 1),
        ...domain
          .slice(domain.indexOf("]") + 1)
          .split(":")
          .slice(1),
      ]
    : domain.split(":");
  if (extra !== undefined) return `registry ${JSON.stringify(domain)} has more than one ":"`;
  if (port !== undefined && !/^\d{1,5}$/.test(port))
    return `registry port ${JSON.stringify(port)} is not a number`;
  if (host.startsWith("[")) {
    // host ends at the first "]", so a "]" that matches is its last character (no "$" needed).
    return /^\[[0-9A-Fa-f:]+\]/.test(host)
      ? undefined
      : `registry ${JSON.stringify(host)} is not an IPv6 address`;
  }
  if (!host.split(".").every((c) => DOMAIN_COMPONENT.test(c))) {
    return `registry ${JSON.stringify(host)} is not a host name`;
  }
  return undefined;
}

function checkDigest(digest: string): string | undefined {
  const colon = digest.indexOf(":");
  if (colon <= 0) return `digest ${JSON.stringify(digest)} must be <algorithm>:<hex>, e.g. sha256:<64 hex>`;
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  if (!ALGORITHM.test(algorithm)) return `digest algorithm ${JSON.stringify(algorithm)} is not valid`;
  const length = DIGEST_HEX[algorithm];
  if (length === undefined)
    return `digest algorithm ${algorithm} is not one registries accept (sha256, sha512)`;
  if (!new RegExp(`^[a-f0-9]{${length}}$`).test(hex)) {
    return `a ${algorithm} digest is ${length} lowercase hex characters`;
  }
  return undefined;
}

/** Why `image` is not a valid reference, or undefined when it is. */
export function imageProblem(image: string): string | undefined {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const problem = checkDigest(digest);
    if (problem) return problem;
  }
  // A tag is after the last ":" that follows the last "/" (a ":" before it is a registry port).
  const lastSlash = rest.lastIndexOf("/");
  const tagColon = rest.indexOf(":", lastSlash + 1);
  let name = rest;
  if (tagColon >= 0) {
    const tag = rest.slice(tagColon + 1);
    name = rest.slice(0, tagColon);
    if (!TAG.test(tag)) {
      return tag === ""
        ? 'the tag after ":" is empty'
        : `tag ${JSON.stringify(tag)} is not valid (letters, digits, _ . -; at most 128)`;
    }
  }
  if (name === "") return "the repository name is empty";
  if (name.length > NAME_MAX) return `the repository name is longer than ${NAME_MAX} characters`;
  const parts = name.split("/");
  // Stryker disable next-line StringLiteral: split always returns at least one element, so the fallback is never used
  const first = parts[0] ?? "";
  const hasDomain =
    parts.length > 1 &&
    // splitDockerDomain also takes "localhost", which is as valid a path component as a host name,
    // so it needs no case here: either way the reference is accepted.
    (first.includes(".") || first.includes(":") || first !== first.toLowerCase());
  if (hasDomain) {
    const problem = checkDomain(first);
    if (problem) return problem;
    parts.shift();
  }
  for (const part of parts) {
    if (part === "")
      return 'the repository name has an empty path component ("//" or a leading/trailing "/")';
    if (!PATH_COMPONENT.test(part)) {
      return `repository path ${JSON.stringify(part)} is not valid (lowercase letters, digits, and . _ __ - between them)`;
    }
  }
  return undefined;
}
