import type { FilterFlags } from "../filters.js";

/** Flags every analysis command takes. */
export interface AnalysisFlags extends FilterFlags {
  db?: string;
  date?: string;
  allDates?: boolean;
  x?: string;
  y?: string;
  groupBy?: string;
  tier?: string;
  price?: number;
  catalog?: string;
  json?: boolean;
  csv?: boolean;
}
