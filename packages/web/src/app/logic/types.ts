import type { PointResult } from "@infermark/core";

/** A point as the API and the report carry it: its store id and the PointResult. */
export interface Item {
  id: string;
  point: PointResult;
}
