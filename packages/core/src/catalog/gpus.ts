import { SOURCES, type SourceRef } from "./sources.js";

/** Price tiers of the SemiAnalysis TCO model as used by InferenceX ($ per GPU-hour). */
export const PRICE_TIERS = ["hyperscaler", "neocloud", "rental"] as const;
export type PriceTier = (typeof PRICE_TIERS)[number];

/** One accelerator: dense TFLOPS (no sparsity), per-GPU one-direction scale-up bandwidth. */
export interface GpuSpec {
  key: string;
  name: string;
  vendor: "nvidia" | "amd";
  hbmGb: number;
  hbmTbps: number;
  /** Dense TFLOPS by compute precision; absent when the GPU has no native support. */
  tflops: { bf16: number; fp8: number; fp4?: number };
  scaleUpGBps: number;
  /** GPUs in one scale-up (NVLink / xGMI) domain. */
  scaleUpDomain: number;
  nicGbps: number;
  tdpW: number;
  /** All-in power per GPU including cooling and facility overhead (kW). */
  allInKw: number;
  /** $ per GPU-hour by tier. */
  price: Record<PriceTier, number>;
  /** Source of each group of figures. */
  sources: { spec: SourceRef; price: SourceRef; power: SourceRef };
}

type GpuRow = Omit<GpuSpec, "sources"> & { notes?: { spec?: string; price?: string } };

const withNote = (ref: SourceRef, note?: string): SourceRef => (note ? { ...ref, note } : ref);

const PLACEHOLDER_PRICE =
  "placeholder in the source (1.2x the B200/GB200 price); later single-tier table there: ";

const rows: GpuRow[] = [
  {
    key: "h100",
    name: "NVIDIA H100 SXM",
    vendor: "nvidia",
    hbmGb: 80,
    hbmTbps: 3.35,
    tflops: { bf16: 989, fp8: 1979 },
    scaleUpGBps: 450,
    scaleUpDomain: 8,
    nicGbps: 400,
    tdpW: 700,
    allInKw: 1.73,
    price: { hyperscaler: 1.3, neocloud: 1.69, rental: 1.3 },
    notes: { price: "later single-tier table: 1.17 $/GPU-h" },
  },
  {
    key: "h200",
    name: "NVIDIA H200 SXM",
    vendor: "nvidia",
    hbmGb: 141,
    hbmTbps: 4.8,
    tflops: { bf16: 989, fp8: 1979 },
    scaleUpGBps: 450,
    scaleUpDomain: 8,
    nicGbps: 400,
    tdpW: 700,
    allInKw: 1.73,
    price: { hyperscaler: 1.41, neocloud: 1.74, rental: 1.6 },
    notes: { price: "later single-tier table: 1.22 $/GPU-h" },
  },
  {
    key: "b200",
    name: "NVIDIA B200",
    vendor: "nvidia",
    hbmGb: 180,
    hbmTbps: 8,
    tflops: { bf16: 2250, fp8: 4500, fp4: 9000 },
    scaleUpGBps: 900,
    scaleUpDomain: 8,
    nicGbps: 400,
    tdpW: 1000,
    allInKw: 2.17,
    price: { hyperscaler: 1.95, neocloud: 2.34, rental: 2.9 },
    notes: {
      spec: "HBM bandwidth 7.7 TB/s elsewhere",
      price: "later single-tier table: 1.73 $/GPU-h",
    },
  },
  {
    key: "b300",
    name: "NVIDIA B300",
    vendor: "nvidia",
    hbmGb: 268,
    hbmTbps: 8,
    tflops: { bf16: 2250, fp8: 4500, fp4: 13500 },
    scaleUpGBps: 900,
    scaleUpDomain: 8,
    nicGbps: 800,
    tdpW: 1100,
    allInKw: 2.17,
    price: { hyperscaler: 2.34, neocloud: 2.808, rental: 3.48 },
    notes: {
      spec: "HBM 288 GB and FP4 14000 TFLOPS elsewhere",
      price: `${PLACEHOLDER_PRICE}2.26 $/GPU-h`,
    },
  },
  {
    key: "gb200",
    name: "NVIDIA GB200 NVL72",
    vendor: "nvidia",
    hbmGb: 192,
    hbmTbps: 8,
    tflops: { bf16: 2500, fp8: 5000, fp4: 10000 },
    scaleUpGBps: 900,
    scaleUpDomain: 72,
    nicGbps: 800,
    tdpW: 1200,
    allInKw: 2.1,
    price: { hyperscaler: 2.21, neocloud: 2.75, rental: 3.3 },
    notes: { spec: "186 GB usable", price: "later single-tier table: 1.86 $/GPU-h" },
  },
  {
    key: "gb300",
    name: "NVIDIA GB300 NVL72",
    vendor: "nvidia",
    hbmGb: 288,
    hbmTbps: 8,
    tflops: { bf16: 2500, fp8: 5000, fp4: 15000 },
    scaleUpGBps: 900,
    scaleUpDomain: 72,
    nicGbps: 800,
    tdpW: 1400,
    allInKw: 2.1,
    price: { hyperscaler: 2.652, neocloud: 3.3, rental: 3.96 },
    notes: { price: `${PLACEHOLDER_PRICE}2.31 $/GPU-h` },
  },
  {
    key: "mi300x",
    name: "AMD Instinct MI300X",
    vendor: "amd",
    hbmGb: 192,
    hbmTbps: 5.3,
    tflops: { bf16: 1307, fp8: 2615 },
    scaleUpGBps: 448,
    scaleUpDomain: 8,
    nicGbps: 400,
    tdpW: 750,
    allInKw: 1.79,
    price: { hyperscaler: 1.12, neocloud: 1.4, rental: 1.55 },
    notes: { spec: "xGMI 7 x 64 GB/s", price: "later single-tier table: 0.95 $/GPU-h" },
  },
  {
    key: "mi325x",
    name: "AMD Instinct MI325X",
    vendor: "amd",
    hbmGb: 256,
    hbmTbps: 6,
    tflops: { bf16: 1307, fp8: 2615 },
    scaleUpGBps: 448,
    scaleUpDomain: 8,
    nicGbps: 400,
    tdpW: 1000,
    allInKw: 2.18,
    price: { hyperscaler: 1.28, neocloud: 1.59, rental: 1.8 },
    notes: { price: "later single-tier table: 1.10 $/GPU-h" },
  },
  {
    key: "mi355x",
    name: "AMD Instinct MI355X",
    vendor: "amd",
    hbmGb: 288,
    hbmTbps: 8,
    tflops: { bf16: 2516, fp8: 5033, fp4: 10066 },
    scaleUpGBps: 538,
    scaleUpDomain: 8,
    nicGbps: 400,
    tdpW: 1400,
    allInKw: 2.65,
    price: { hyperscaler: 1.48, neocloud: 1.9, rental: 2.1 },
    notes: {
      spec: "scale-up 538-576 GB/s; 538 used",
      price: "later single-tier table: 1.50 $/GPU-h",
    },
  },
];

/** The GPUs of CATALOG.md, keyed by catalog key. */
export const GPUS: Readonly<Record<string, GpuSpec>> = Object.fromEntries(
  rows.map(({ notes, ...gpu }) => [
    gpu.key,
    {
      ...gpu,
      sources: {
        spec: withNote(SOURCES.gpuSpecs, notes?.spec),
        price: withNote(SOURCES.tco, notes?.price),
        power: SOURCES.power,
      },
    },
  ]),
);
