import type { PointResult } from "../schemas/point-result.js";

/** The hex digits of an image digest that name it in short, as `docker images` shows an image id. */
const SHORT_DIGEST = 12;

/** A digest: its algorithm and hex digits. */
const DIGEST = /^([a-z][a-z0-9]*):([0-9a-f]+)$/i;

/** An image id given as the image (`sha256:` and the 64 hex digits), not a name with a tag. */
const IMAGE_ID = /^(sha256):([0-9a-f]{64})$/i;

/** A digest's algorithm and first hex digits (`sha256:ab12ab12ab12`). */
const shortDigest = (match: RegExpExecArray) => `${match[1]}:${match[2]!.slice(0, SHORT_DIGEST)}`;

/**
 * The serving software a point ran, in short: its `frameworkVersion` (what the engine said, or
 * `--framework-version`), else its container image's tag (`lmsysorg/sglang:v0.5.12-rocm700-mi35x` gives
 * `v0.5.12-rocm700-mi35x`), its digest's first 12 hex digits (`x@sha256:ab12...` gives `sha256:ab12ab12ab12`), or
 * both (`x:1.0@sha256:ab12...` gives `1.0@sha256:ab12ab12ab12`: the release, and which build of it), else undefined.
 * @example softwareOf(point) // "0.11.0"
 */
export function softwareOf(point: PointResult): string | undefined {
  const version = point.config.frameworkVersion?.trim();
  if (version) return version;
  const image = point.config.image?.trim();
  if (!image) return undefined;
  // an image id (sha256:hex) alone, or name[:tag][@algorithm:hex]: the digest is after the '@', the tag after the
  // last ':' of the name's last path segment (a registry's port is in the first)
  const id = IMAGE_ID.exec(image);
  if (id) return shortDigest(id);
  const at = image.indexOf("@");
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? DIGEST.exec(image.slice(at + 1)) : null;
  const last = name.slice(name.lastIndexOf("/") + 1);
  const colon = last.lastIndexOf(":");
  const tag = colon >= 0 && colon < last.length - 1 ? last.slice(colon + 1) : undefined;
  const short = digest ? shortDigest(digest) : undefined;
  return tag && short ? `${tag}@${short}` : (tag ?? short);
}

/**
 * The distinct software of some points (`softwareOf`), in the order first seen: what one date's frontier ran.
 * @example softwareList(frontier.points.map((p) => p.item)) // ["v0.5.12-rocm700-mi35x"]
 */
export function softwareList(points: readonly PointResult[]): string[] {
  const seen = new Set<string>();
  for (const p of points) {
    const s = softwareOf(p);
    if (s !== undefined) seen.add(s);
  }
  return [...seen];
}

/**
 * A release as the version filter compares it: lower case, without a leading `v` (`v0.5.12-ROCm700` gives
 * `0.5.12-rocm700`). The store keeps this of each point's `softwareOf`, so its queries compare the same strings.
 * @example softwareKey("v0.11.0") // "0.11.0"
 */
export function softwareKey(software: string): string {
  const s = software.trim().toLowerCase();
  return s.startsWith("v") && s.length > 1 && s[1]! >= "0" && s[1]! <= "9" ? s.slice(1) : s;
}

/**
 * Whether some software (`softwareOf` of a point) is the release `wanted` or a build of it: the two's
 * `softwareKey`s are equal, or the software's starts with the wanted one and goes on with something other than a
 * digit. So `0.5.12` matches `v0.5.12`, `v0.5.12-rocm700-mi35x` and `0.5.12.post1`; `0.5` matches every 0.5.x; `0.5.1`
 * does not match `0.5.12`.
 * @example versionMatches("v0.5.12-rocm700-mi35x", "0.5.12") // true
 */
export function versionMatches(software: string | undefined, wanted: string): boolean {
  if (software === undefined) return false;
  const have = softwareKey(software);
  const want = softwareKey(wanted);
  if (!have.startsWith(want)) return false;
  const next = have[want.length];
  return next === undefined || next < "0" || next > "9";
}
