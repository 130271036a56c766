// first: before any module that builds zod schemas
import "./zod-jitless.js";
import "./styles.css";
import { apiSource, reportSource } from "./data/data-source.js";
import { decodeState } from "./state/view-state.js";
import { Dashboard, showError, viewScope } from "./ui/app.js";

async function boot(): Promise<void> {
  const root = document.getElementById("app")!;
  const source = window.__INFERMARK_REPORT__
    ? reportSource(window.__INFERMARK_REPORT__)
    : apiSource();
  try {
    // the first view's points and the filter choices load together
    const first = viewScope(decodeState(location.hash));
    const t0 = performance.now();
    const items = source.points(first);
    items.then(
      () => performance.measure("infermark:fetch", { start: t0, end: performance.now() }),
      () => undefined,
    );
    const [options, catalog] = await Promise.all([source.options(), source.catalog()]);
    performance.measure("infermark:options", { start: t0, end: performance.now() });
    document.title = source.title;
    const dashboard = new Dashboard(root, source, options, catalog);
    void dashboard.load(first, items).catch(() => undefined);
    dashboard.render();
  } catch (error) {
    showError(root, error);
  }
}

void boot();
