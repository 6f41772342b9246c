import { describe, expect, it } from "vitest";
import { checkRayImage, rayVersionOfImage } from "../../src/core/endpoint/ray-version.js";
import { imageProblem } from "../../src/core/endpoint/validate-image.js";

const sha256 = "a".repeat(64);
const sha512 = "0123456789abcdef".repeat(8);

describe("imageProblem: the distribution reference grammar", () => {
  it("accepts the references registries accept", () => {
    for (const good of [
      "ubuntu",
      "ubuntu:22.04",
      "rayproject/ray-llm:2.53.0-py311-cu128",
      "localhost/foo",
      "localhost:5000/foo/bar:tag",
      "registry.example.com/a/b",
      "Registry/foo",
      "Registry.Example.com/foo",
      "a.com/x",
      "a-b.c-d.com:1/x",
      "[::1]:5000/foo:1",
      "[FE80::1]/foo",
      "[::]:5000/foo",
      "host:12345/x",
      "a__b/c-d/e.f_g",
      "a---b",
      "my_reg.com",
      "foo:_x",
      `foo:${"t".repeat(128)}`,
      `foo@sha256:${sha256}`,
      `foo:1@sha512:${sha512}`,
      "a".repeat(255),
      `${"a".repeat(255)}:tag`,
    ]) {
      expect(imageProblem(good), good).toBeUndefined();
    }
  });

  it("checks the digest after '@'", () => {
    expect(imageProblem("foo@sha256")).toBe(
      'digest "sha256" must be <algorithm>:<hex>, e.g. sha256:<64 hex>',
    );
    expect(imageProblem("foo@:abc")).toBe('digest ":abc" must be <algorithm>:<hex>, e.g. sha256:<64 hex>');
    expect(imageProblem(`foo@SHA256:${sha256}`)).toBe('digest algorithm "SHA256" is not valid');
    expect(imageProblem(`foo@sha-:${sha256}`)).toBe('digest algorithm "sha-" is not valid');
    expect(imageProblem(`foo@-sha:${sha256}`)).toBe('digest algorithm "-sha" is not valid');
    expect(imageProblem("foo@md5:abc")).toBe(
      "digest algorithm md5 is not one registries accept (sha256, sha512)",
    );
    expect(imageProblem(`foo@sha256+b64:${sha256}`)).toBe(
      "digest algorithm sha256+b64 is not one registries accept (sha256, sha512)",
    );
    for (const hex of [
      "a".repeat(63),
      "a".repeat(65),
      "A".repeat(64),
      `g${"a".repeat(63)}`,
      `${"a".repeat(63)}g`,
    ]) {
      expect(imageProblem(`foo@sha256:${hex}`)).toBe("a sha256 digest is 64 lowercase hex characters");
    }
    expect(imageProblem(`foo@sha512:${sha256}`)).toBe("a sha512 digest is 128 lowercase hex characters");
    // The digest is checked before the name: a bad name with a bad digest reports the digest.
    expect(imageProblem("Foo@sha256:1")).toBe("a sha256 digest is 64 lowercase hex characters");
    expect(imageProblem(`@sha256:${sha256}`)).toBe("the repository name is empty");
  });

  it("checks the tag after the last ':' that follows the last '/'", () => {
    expect(imageProblem("foo:")).toBe('the tag after ":" is empty');
    expect(imageProblem("foo:-x")).toBe('tag "-x" is not valid (letters, digits, _ . -; at most 128)');
    // A ":" before the last "/" belongs to the registry.
    expect(imageProblem("foo:a/b")).toBe('registry port "a" is not a number');
    expect(imageProblem(`foo:${"t".repeat(129)}`)).toBe(
      `tag "${"t".repeat(129)}" is not valid (letters, digits, _ . -; at most 128)`,
    );
    expect(imageProblem("foo:x!")).toBe('tag "x!" is not valid (letters, digits, _ . -; at most 128)');
    expect(imageProblem(":tag")).toBe("the repository name is empty");
    expect(imageProblem("")).toBe("the repository name is empty");
  });

  it("bounds the repository name at 255 characters, without the tag", () => {
    expect(imageProblem(`${"a".repeat(256)}:1`)).toBe("the repository name is longer than 255 characters");
  });

  it("checks each path component", () => {
    const empty = 'the repository name has an empty path component ("//" or a leading/trailing "/")';
    expect(imageProblem("foo//bar")).toBe(empty);
    expect(imageProblem("foo/")).toBe(empty);
    expect(imageProblem("/foo")).toBe(empty);
    for (const bad of ["Foo", "a___b", "a..b", "a.-b", "-a", "a-", "_a", "a_"]) {
      expect(imageProblem(`x/${bad}`)).toBe(
        `repository path ${JSON.stringify(bad)} is not valid (lowercase letters, digits, and . _ __ - between them)`,
      );
    }
    expect(imageProblem("Foo")).toBe(
      'repository path "Foo" is not valid (lowercase letters, digits, and . _ __ - between them)',
    );
  });

  it("treats a first component with '.', ':' or capitals as a registry and checks it as a host", () => {
    expect(imageProblem("my_reg.com/foo")).toBe('registry "my_reg.com" is not a host name');
    expect(imageProblem("-bad.com/foo")).toBe('registry "-bad.com" is not a host name');
    expect(imageProblem("bad-.com/foo")).toBe('registry "bad-.com" is not a host name');
    expect(imageProblem("a..b/foo")).toBe('registry "a..b" is not a host name');
    expect(imageProblem("My_Reg/foo")).toBe('registry "My_Reg" is not a host name');
    // A good registry does not excuse a bad path after it.
    expect(imageProblem("registry.example.com/Bad")).toBe(
      'repository path "Bad" is not valid (lowercase letters, digits, and . _ __ - between them)',
    );
    expect(imageProblem("a:1:2/foo")).toBe('registry "a:1:2" has more than one ":"');
    expect(imageProblem("host:port/foo")).toBe('registry port "port" is not a number');
    expect(imageProblem("host:/foo")).toBe('registry port "" is not a number');
    expect(imageProblem("host:123456/foo")).toBe('registry port "123456" is not a number');
    expect(imageProblem("host:5000a/foo")).toBe('registry port "5000a" is not a number');
    expect(imageProblem("host:a5000/foo")).toBe('registry port "a5000" is not a number');
  });

  it("checks a bracketed registry as an IPv6 address with an optional port", () => {
    expect(imageProblem("[zz]:5000/foo")).toBe('registry "[zz]" is not an IPv6 address');
    expect(imageProblem("[]:1/foo")).toBe('registry "[]" is not an IPv6 address');
    expect(imageProblem("[x[::1]:5000/foo")).toBe('registry "[x[::1]" is not an IPv6 address');
    expect(imageProblem("[::1]:abc/foo")).toBe('registry port "abc" is not a number');
    expect(imageProblem("[::1]:1:2/foo")).toBe('registry "[::1]:1:2" has more than one ":"');
  });
});

describe("rayVersionOfImage", () => {
  it("reads the Ray version at the start of the tag", () => {
    expect(rayVersionOfImage("rayproject/ray-llm:2.53.0-py311-cu128")).toBe("2.53.0");
    expect(rayVersionOfImage("rayproject/ray:2.53-gpu")).toBe("2.53");
    expect(rayVersionOfImage("localhost:5000/ray:2.49.1")).toBe("2.49.1");
    expect(rayVersionOfImage(`ray:2.53.0@sha256:${sha256}`)).toBe("2.53.0");
  });

  it("finds none without a tag, in a registry port, or where the tag does not start with it", () => {
    expect(rayVersionOfImage("rayproject/ray-llm")).toBeUndefined();
    expect(rayVersionOfImage("localhost:5000/ray")).toBeUndefined();
    expect(rayVersionOfImage(`ray@sha256:${sha256}`)).toBeUndefined();
    expect(rayVersionOfImage("ray:latest")).toBeUndefined();
    expect(rayVersionOfImage("ray:nightly-2.53.0")).toBeUndefined();
    expect(rayVersionOfImage("ray:2")).toBeUndefined();
    expect(rayVersionOfImage("ray:2.53.0.1")).toBe("2.53.0");
    expect(rayVersionOfImage("ray:2.531")).toBe("2.531");
    expect(rayVersionOfImage("ray:12.0.1")).toBe("12.0.1");
    expect(rayVersionOfImage("ray:2.53.10-gpu")).toBe("2.53.10");
    // A repository path may start with digits; without a tag it carries no version.
    expect(rayVersionOfImage("2.53/ray")).toBeUndefined();
    // The tag is searched after the last "/" only, even when a ":" sits right before it.
    expect(rayVersionOfImage("reg:/ray:2.53.0")).toBe("2.53.0");
    expect(rayVersionOfImage(":2.53.0")).toBe("2.53.0");
  });
});

describe("checkRayImage", () => {
  const example = "rayproject/ray-llm:2.53.0-py311-cu128";

  it("accepts another patch release of the pinned minor", () => {
    expect(checkRayImage("me/ray:2.53.1-gpu", "2.53.0", example)).toEqual({ kind: "ok" });
    expect(checkRayImage("me/ray:2.53", "2.53.0", example)).toEqual({ kind: "ok" });
  });

  it("refuses another minor, saying why and what to use", () => {
    expect(checkRayImage("me/ray:2.49.0", "2.53.0", example)).toEqual({
      kind: "mismatch",
      problem:
        "--image me/ray:2.49.0 runs Ray 2.49.0, but the InferenceEndpoint RGD pins rayVersion 2.53.0: KubeRay manages the cluster for Ray 2.53 and the serve config uses Ray Serve LLM's 2.53 API, so use a Ray 2.53.x image (e.g. rayproject/ray-llm:2.53.0-py311-cu128)",
    });
    expect(checkRayImage("me/ray:3.53.0", "2.53.0", example).kind).toBe("mismatch");
  });

  it("warns when the tag carries no version", () => {
    expect(checkRayImage("me/ray:latest", "2.53.0", example)).toEqual({
      kind: "unknown",
      warning:
        "--image me/ray:latest carries no Ray version in its tag: make sure it runs Ray 2.53.x, the RGD's rayVersion 2.53.0.",
    });
  });
});
