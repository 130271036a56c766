import {
  type Catalog,
  DEFAULT_CATALOG,
  type GpuSpec,
  PRICE_TIERS,
  type SourceRef,
} from "@infermark/core";

/** One GPU's figures the dashboard computes cost and provisioned energy with, with their sources. */
export interface GpuFigures {
  name: string;
  /** $ per GPU-hour by price tier */
  price: GpuSpec["price"];
  /** all-in power per GPU (kW) */
  allInKw: number;
  sources: { price: SourceRef; power: SourceRef };
  /** which groups of figures a catalog override file set (absent: the built-in catalog's) */
  overridden?: { price?: true; power?: true };
}

/**
 * The catalog figures the dashboard uses (`GET /api/catalog`, and embedded in a report): each GPU's prices and
 * all-in power with their sources, from the built-in catalog or from it with the user's override file applied
 * (`infermark ui --catalog FILE`). A CostCatalog, so core's cost and energy metrics read it as it is.
 */
export interface CatalogFigures {
  format: "infermark.catalog-figures/v1";
  /** the override file applied to the built-in catalog (its name, not its path); absent: none */
  override?: { file: string };
  gpus: Record<string, GpuFigures>;
}

const FORMAT = "infermark.catalog-figures/v1";

const sameFigures = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The figures of a catalog the dashboard needs. `overrideFile` names the override file the catalog was read with;
 * each GPU's figures that differ from the built-in catalog's (a new GPU's all do) are marked `overridden`.
 * @example catalogFigures(await loadCatalog("ours.yaml"), "ours.yaml").gpus.h200.price.neocloud
 */
export function catalogFigures(
  catalog: Pick<Catalog, "gpus"> = DEFAULT_CATALOG,
  overrideFile?: string,
): CatalogFigures {
  const gpus: Record<string, GpuFigures> = {};
  for (const [key, gpu] of Object.entries(catalog.gpus)) {
    const base = DEFAULT_CATALOG.gpus[key];
    const price = !sameFigures([gpu.price, gpu.sources.price], [base?.price, base?.sources.price]);
    const power = !sameFigures(
      [gpu.allInKw, gpu.sources.power],
      [base?.allInKw, base?.sources.power],
    );
    gpus[key] = {
      name: gpu.name,
      price: { ...gpu.price },
      allInKw: gpu.allInKw,
      sources: { price: gpu.sources.price, power: gpu.sources.power },
      ...(price || power
        ? { overridden: { ...(price ? { price: true } : {}), ...(power ? { power: true } : {}) } }
        : {}),
    };
  }
  return { format: FORMAT, ...(overrideFile ? { override: { file: overrideFile } } : {}), gpus };
}

/** The built-in catalog's figures: what the dashboard uses where neither its server nor its report gives any. */
export const BUILT_IN_FIGURES: CatalogFigures = catalogFigures(DEFAULT_CATALOG);

/**
 * Checks figures received from a server or a report: the format and, for each GPU, a positive price per tier and
 * all-in power. Throws an Error saying what is wrong.
 */
export function checkCatalogFigures(value: unknown): CatalogFigures {
  const v = value as Partial<CatalogFigures> | null;
  if (!v || v.format !== FORMAT || typeof v.gpus !== "object" || v.gpus === null)
    throw new Error(`catalog figures: expected format ${FORMAT}`);
  for (const [key, gpu] of Object.entries(v.gpus)) {
    const numbers = [gpu?.allInKw, ...PRICE_TIERS.map((t) => gpu?.price?.[t])];
    if (!numbers.every((n) => typeof n === "number" && n > 0))
      throw new Error(
        `catalog figures: GPU ${key} lacks a positive price per tier or all-in power`,
      );
  }
  return v as CatalogFigures;
}
