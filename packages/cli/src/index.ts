export { buildProgram, main } from "./cli.js";
export { type AggregateCommandOptions, aggregateRecordsFile } from "./commands/aggregate.js";
export { CATALOG_ENV, loadCatalog } from "./commands/catalog.js";
export {
  type ValidateFileResult,
  type ValidateOptions,
  validateFiles,
} from "./commands/validate.js";
export { expandPaths, parseDocuments, readDocuments } from "./io.js";
export { TOOL_VERSION } from "./version.js";
