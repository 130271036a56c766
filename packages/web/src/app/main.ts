import "./styles.css";
import { apiSource, reportSource } from "./data/data-source.js";
import { Dashboard, showError } from "./ui/app.js";

async function boot(): Promise<void> {
  const root = document.getElementById("app")!;
  const source = window.__INFERMARK_REPORT__
    ? reportSource(window.__INFERMARK_REPORT__)
    : apiSource();
  try {
    const t0 = performance.now();
    const items = await source.points();
    performance.measure("infermark:load", { start: t0, end: performance.now() });
    document.title = source.title;
    const t1 = performance.now();
    const dashboard = new Dashboard(root, source, items);
    performance.measure("infermark:init", { start: t1, end: performance.now() });
    dashboard.render();
  } catch (error) {
    showError(root, error);
  }
}

void boot();
