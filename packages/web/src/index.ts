export {
  BUILT_IN_FIGURES,
  type CatalogFigures,
  catalogFigures,
  type GpuFigures,
} from "./app/data/catalog-figures.js";
export {
  decodePointColumns,
  encodePointColumns,
  METRIC_COLUMNS,
  type PointColumns,
} from "./app/data/point-columns.js";
export { requireWebApp, webAppDir } from "./node/app-dir.js";
export { WebAssetsError } from "./node/errors.js";
export { type ReportInput, renderReportHtml, scriptJson } from "./node/report-html.js";
