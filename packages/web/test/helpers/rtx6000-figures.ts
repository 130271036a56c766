import type { GpuFigures } from "../../src/app/data/catalog-figures.js";

/**
 * What the dashboard receives for the RTX PRO 6000 of core's fixture (`RTX6000_OVERRIDE`, declared without a
 * source): its prices and all-in power, cited as the user override file, all marked as the override's.
 */
export const RTX6000_FIGURES: GpuFigures = {
  name: "RTX PRO 6000",
  price: { hyperscaler: 1, neocloud: 1.2, rental: 1.1 },
  allInKw: 1,
  sources: {
    price: { source: "user override file", date: "" },
    power: { source: "user override file", date: "" },
  },
  overridden: { price: true, power: true },
};
