/** Where a catalog figure comes from. */
export interface SourceRef {
  /** Short citation: repository path, datasheet or model card. */
  source: string;
  /** Date of the source, ISO `YYYY-MM` or `YYYY-MM-DD`; empty when it has none (a user override without one). */
  date: string;
  /** Disagreements between sources, placeholders and other caveats. */
  note?: string;
}

export const SOURCES = {
  gpuSpecs: {
    source:
      "InferenceX-app packages/app/src/lib/gpu-specs.ts and docs/gpu-specs.md; NVIDIA AIConfigurator systems/*.yaml; vendor datasheets",
    date: "2026-04",
  },
  tco: {
    source:
      "InferenceX-app packages/app/src/lib/constants.ts, citing SemiAnalysis Market August 2025 Pricing Surveys & AI Cloud TCO Model",
    date: "2026-04",
  },
  power: {
    source:
      "InferenceX-app packages/app/src/lib/constants.ts, citing SemiAnalysis Datacenter Industry Model",
    date: "2026-04",
  },
  hfConfig: { source: "the model's config.json on the Hugging Face hub", date: "2025-05" },
  user: { source: "user override file", date: "" },
} as const satisfies Record<string, SourceRef>;
