import { h } from "./dom.js";

/**
 * What a failed load of the dashboard's data says: a request that got no answer at all (fetch rejects with a
 * TypeError: "Failed to fetch", "NetworkError when attempting to fetch resource.", "Load failed") means the
 * `infermark ui` server is gone, which "Failed to fetch" alone did not say; an answer with an error status (the
 * server could not read its store) says what the server said.
 * @example loadErrorText(new TypeError("Failed to fetch")) // "The dashboard's server did not answer (Failed to fetch): ..."
 */
export function loadErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError)
    return `The dashboard's server did not answer (${message}): is \`infermark ui\` still running? Start it again, then retry.`;
  return `The server could not give the points: ${message}`;
}

/**
 * A view whose points could not be loaded: the reason (`loadErrorText`) and a Retry button, in place of the view,
 * with the tabs and filters kept (another view, or this one once the server is back, is a click away).
 */
export function loadErrorView(error: unknown, retry: () => void): HTMLElement {
  const button = h("button", { type: "button", id: "retry", text: "Retry" });
  button.addEventListener("click", retry);
  return h(
    "div",
    { id: "load-error", class: "empty", role: "alert" },
    h("p", { class: "empty-title", text: "Could not load the points of this view." }),
    h("p", { text: loadErrorText(error) }),
    button,
  );
}
