/** The most redirects `getSameOrigin` follows before it answers with the last one. */
const MAX_REDIRECTS = 5;

/**
 * GETs `url` with `headers`, following a redirect only when it stays on the URL's origin (vLLM's `/metrics` answered
 * 307 to `/metrics/`), so that the run's headers (an API key, a gateway's `api-key`) never reach another host; fetch
 * itself would carry every header but `authorization` and `cookie` there. A redirect to another origin, or past the
 * fifth, comes back as it is (a 3xx response, not ok, with its `location`). Throws what fetch throws (refused, the
 * timeout), the timeout counted over every hop.
 * @example const res = await getSameOrigin("http://gpu-1:8000/metrics", { "api-key": "k" }, 5000);
 */
export async function getSameOrigin(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Response> {
  const signal = AbortSignal.timeout(timeoutMs);
  const origin = new URL(url).origin;
  let at = url;
  for (let hop = 0; ; hop++) {
    const response = await fetch(at, { headers, redirect: "manual", signal });
    const location = response.headers.get("location");
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    const next = URL.canParse(location, at) ? new URL(location, at) : undefined;
    if (!next || next.origin !== origin || hop === MAX_REDIRECTS) return response;
    await response.body?.cancel();
    at = next.href;
  }
}

/**
 * Why a response is not an answer, for a message: `HTTP 401`, or for a redirect `HTTP 302: a redirect to
 * http://other/metrics, not followed`, as the measured requests say it.
 * @example notAnswered(res) // "HTTP 404"
 */
export function notAnswered(response: Response): string {
  const location = response.headers.get("location");
  return response.status >= 300 && response.status < 400 && location !== null
    ? `HTTP ${response.status}: a redirect to ${location}, not followed`
    : `HTTP ${response.status}`;
}
