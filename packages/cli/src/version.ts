/** infermark's version, recorded in every PointResult. */
export const TOOL_VERSION = "0.1.0";
