import type { CatalogFigures } from "../data/catalog-figures.js";
import type { GroupStyle } from "../logic/group-styles.js";
import type { ViewState } from "../state/view-state.js";
import type { GroupLegend } from "./group-legend.js";
import type { MainChart } from "./main-chart.js";

/** Runs a state change from a control, keeping keyboard focus on the control with this id across the re-render. */
export type Act = (focusId: string, patch: Partial<ViewState>) => void;

/** What a view renders with: the dashboard's state, its main chart and legend, and the ways back to the state. */
export interface ViewContext {
  /** the state the dashboard renders */
  readonly state: ViewState;
  /** the GPU prices and all-in power of the page (its server's or report's catalog), with their sources */
  readonly catalog: CatalogFigures;
  /** each shown group's look (color, marker, dash), as `paint` set them */
  readonly styles: ReadonlyMap<string, GroupStyle>;
  readonly chart: MainChart;
  readonly legend: GroupLegend;
  /** styles the groups a view shows, in their order (see the dashboard's `paint`) */
  paint(groups: readonly { key: string; dims: { hardware?: string } }[]): void;
  readonly act: Act;
  /** says what the view shows on the status line (the page's live region, kept across renders) */
  status(text: string): void;
  /** changes the state and renders on the next frame */
  update(patch: Partial<ViewState>): void;
  /** sets what Export CSV writes (undefined: nothing, the button is disabled) */
  setCsv(csv: (() => string) | undefined): void;
  /** records the render as done (a view that draws no chart; a chart records its own `finished`) */
  finish(): void;
}
