import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { webAppDir } from "../src/node/app-dir.js";
import { renderReportHtml } from "../src/node/report-html.js";
import { GROUP_A } from "./helpers/make-point.js";

const built = existsSync(`${webAppDir()}app.js`);
if (!built)
  console.warn(
    "skipping report HTML tests: the dashboard is not built (npm run build -w @infermark/web)",
  );

describe.skipIf(!built)("renderReportHtml: the policy a report opened from disk carries", () => {
  it("names each inline script by its hash, and allows no source on the network or the disk", async () => {
    const html = await renderReportHtml({ points: GROUP_A, title: "a </script> title" });
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)" \/>/.exec(
      html,
    )?.[1];
    const scripts = [...html.matchAll(/<script(?: type="module")?>([\s\S]*?)<\/script>/g)].map(
      (m) => `'sha256-${createHash("sha256").update(m[1]!).digest("base64")}'`,
    );
    expect(scripts).toHaveLength(2);
    expect(policy).toBe(
      `default-src 'none'; script-src ${scripts.join(" ")}; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'`,
    );
    // the policy comes before anything it governs
    expect(html.indexOf("Content-Security-Policy")).toBeLessThan(html.indexOf("<script"));
  });
});
