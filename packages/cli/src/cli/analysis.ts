import type { Command } from "commander";
import { registerCompare } from "./analysis/register-compare.js";
import { registerCost } from "./analysis/register-cost.js";
import { registerFrontier } from "./analysis/register-frontier.js";
import { registerMargin } from "./analysis/register-margin.js";
import { registerTrend } from "./analysis/register-trend.js";

/**
 * Registers `frontier`, `compare`, `cost`, `trend` and `margin`, in that order (the order `--help` lists them).
 * @example registerAnalysis(program)
 */
export function registerAnalysis(program: Command): void {
  registerFrontier(program);
  registerCompare(program);
  registerCost(program);
  registerTrend(program);
  registerMargin(program);
}
