import { PlanError, type SweepSpec } from "@infermark/core";
import { DCGM_URL_ENV } from "./dcgm-url.js";
import { checkSpecHeaders } from "./spec-headers.js";
import { checkApiKeyOptions } from "./sweep-api-key.js";
import { urlCredential } from "./url-credential.js";

/**
 * Where a URL's credentials go instead of a spec file, by the spec's field that holds the URL. A user and password in
 * an external server's URL never reach the server either: fetch refuses such a URL, so readiness never ended.
 */
const INSTEAD = {
  "server.baseUrl":
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${NAME} is how a spec's header names a variable
    'bench.headers Authorization: "Basic ${NAME}" (NAME holding base64 of user:password), or an API key (bench.apiKeyEnv)',
  dcgmUrl: `the whole URL with them in the environment variable ${DCGM_URL_ENV}, which the sweep reads in place of dcgmUrl (a Slurm job inherits it, or exports it in executor.slurm.setup)`,
} as const;

/** Every URL a spec holds, by its field: each is committed with the spec. */
function specUrls(
  spec: Pick<SweepSpec, "server" | "dcgmUrl">,
): (readonly [keyof typeof INSTEAD, string])[] {
  return [
    ...(spec.server.kind === "external" ? [["server.baseUrl", spec.server.baseUrl] as const] : []),
    ...(spec.dcgmUrl !== undefined ? [["dcgmUrl", spec.dcgmUrl] as const] : []),
  ];
}

/**
 * Checks at plan time that a spec holds no credential, since a spec file is committed (and read by every Slurm job
 * and CI runner of the sweep): no user and password, nor a credential in the query (`?token=`), in any URL it holds
 * (an external server's `baseUrl`, `dcgmUrl`), no API key (`checkApiKeyOptions`), no credential header's value
 * (`checkSpecHeaders`). Each comes from the environment instead. Throws PlanError in one line that never repeats the
 * credential, and says where it goes.
 * @example checkSpecCredentials({ server: { kind: "external", baseUrl: "http://me:pw@h:8000" } }) // throws
 */
export function checkSpecCredentials(spec: Pick<SweepSpec, "bench" | "server" | "dcgmUrl">): void {
  for (const [field, url] of specUrls(spec)) {
    const credential = urlCredential(url);
    const plural = credential?.startsWith("a user and");
    if (credential)
      throw new PlanError(
        `${field}: ${credential} in a spec file ${plural ? "are" : "is"} committed with it; give the URL without ${plural ? "them" : "it"}, and the credentials from the environment: ${INSTEAD[field]}`,
      );
  }
  checkApiKeyOptions(spec);
  checkSpecHeaders(spec);
}
