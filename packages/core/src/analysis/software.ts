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
