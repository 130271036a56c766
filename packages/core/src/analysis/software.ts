import type { PointResult } from "../schemas/point-result.js";

/**
 * The serving software a point ran, in short: its `frameworkVersion` (what the engine said, or
 * `--framework-version`), else its container image's tag (`lmsysorg/sglang:v0.5.12-rocm700-mi35x` gives
 * `v0.5.12-rocm700-mi35x`; a digest, its first 12 hex digits), else undefined.
 * @example softwareOf(point) // "0.11.0"
 */
export function softwareOf(point: PointResult): string | undefined {
  const version = point.config.frameworkVersion?.trim();
  if (version) return version;
  const image = point.config.image?.trim();
  if (!image) return undefined;
  const digest = /@sha256:([0-9a-f]{12})/i.exec(image);
  if (digest) return `sha256:${digest[1]}`;
  // the tag is after the last ':' of the last path segment (a registry's port is in the first)
  const name = image.slice(image.lastIndexOf("/") + 1);
  const colon = name.lastIndexOf(":");
  return colon >= 0 && colon < name.length - 1 ? name.slice(colon + 1) : undefined;
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
