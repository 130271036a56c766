/**
 * The dashboard page's Content Security Policy: its script, stylesheet and API calls come from the server itself;
 * no other origin, plugin, form target or framing page. Styles may be inline (ECharts writes its tooltips as HTML
 * with style attributes); images may be data: and blob: URLs (Export PNG draws the chart's images into one).
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The policy of every other answer (JSON, scripts, stylesheets): nothing runs or loads from it as a document. */
export const NONE_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * Headers every answer of the dashboard server carries: the content type is the one sent (nosniff), no page of
 * another site frames it (clickjacking), and no link followed from the dashboard (a run's CI page) tells its
 * site the dashboard's address. An HTML page gets `PAGE_CSP`, anything else `NONE_CSP`.
 * @example res.writeHead(200, { "content-type": "text/html", ...securityHeaders(true) })
 */
export function securityHeaders(page = false): Record<string, string> {
  return {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "content-security-policy": page ? PAGE_CSP : NONE_CSP,
  };
}
