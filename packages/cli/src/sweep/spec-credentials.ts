import { PlanError, type SweepSpec } from "@infermark/core";
import { checkSpecHeaders } from "./spec-headers.js";
import { checkApiKeyOptions } from "./sweep-api-key.js";

/**
 * Checks at plan time that a spec holds no credential, since a spec file is committed (and read by every Slurm job
 * and CI runner of the sweep): no user and password in an external server's `baseUrl`, no API key
 * (`checkApiKeyOptions`), no credential header's value (`checkSpecHeaders`). Each comes from the environment
 * instead. Throws PlanError in one line that never repeats the credential.
 * @example checkSpecCredentials({ server: { kind: "external", baseUrl: "http://me:pw@h:8000" } }) // throws
 */
export function checkSpecCredentials(spec: Pick<SweepSpec, "bench" | "server">): void {
  if (spec.server.kind === "external") {
    const url = new URL(spec.server.baseUrl);
    // a URL's user and password never reach the server either: fetch refuses such a URL, so readiness never ended
    if (url.username !== "" || url.password !== "")
      throw new PlanError(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: ${NAME} is how a spec's header names a variable
        'server.baseUrl: a user and password in a spec file are committed with it; give the URL without them, and the credentials from the environment: bench.headers Authorization: "Basic ${NAME}" (NAME holding base64 of user:password), or an API key (bench.apiKeyEnv)',
      );
  }
  checkApiKeyOptions(spec);
  checkSpecHeaders(spec);
}
