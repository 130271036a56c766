import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserTestsBlocker, launchChromium, runCli } from "../helpers/browser.js";
import { GROUP_A, GROUP_B } from "../helpers/make-point.js";
import { ownRun } from "../helpers/own-run.js";

const blocker = browserTestsBlocker();

describe.skipIf(blocker)(
  "infermark report opened from disk in chromium: its own Content-Security-Policy, no network",
  () => {
    let dir: string;
    let file: string;
    let browser: Browser;
    let context: BrowserContext;
    let tab: Page;
    /** every request that is not the file itself, every CSP violation, every uncaught error */
    const seen: string[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "infermark-report-csp-"));
      const own = ownRun();
      writeFileSync(
        join(dir, "points.json"),
        JSON.stringify([...GROUP_A, ...GROUP_B].map((i) => i.point)),
      );
      writeFileSync(join(dir, "own.json"), JSON.stringify(own.point));
      writeFileSync(
        join(dir, "own.requests.jsonl"),
        own.requests.map((r) => JSON.stringify(r)).join("\n"),
      );
      file = join(dir, "report.html");
      await runCli(["report", dir, "-o", file, "--requests", "--title", "CSP check"]);
      browser = await launchChromium();
      context = await browser.newContext({ acceptDownloads: true });
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (url === `file://${file}` || url.startsWith("data:") || url.startsWith("blob:"))
          return route.continue();
        seen.push(`request: ${url}`);
        return route.abort();
      });
      await context.addInitScript(() =>
        document.addEventListener("securitypolicyviolation", (e) =>
          console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
        ),
      );
      tab = await context.newPage();
      tab.on("pageerror", (e) => seen.push(`pageerror: ${e.message}`));
      tab.on("console", (m) => {
        if (m.text().startsWith("CSP violation")) seen.push(m.text());
      });
    }, 90_000);
    afterAll(async () => {
      await browser?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    /** Opens the report at `hash` in a fresh document and waits for its first render. */
    const rendered = async (hash: string) => {
      await tab.goto(`file://${file}${hash}`);
      await tab.reload();
      await tab.waitForFunction(() => Number(document.body.dataset.rendered ?? 0) > 0, undefined, {
        timeout: 20_000,
      });
    };

    it("carries a policy that runs only its own two scripts and fetches nothing", () => {
      const html = readFileSync(file, "utf8");
      const meta = /<head>\s*<meta http-equiv="Content-Security-Policy" content="([^"]+)" \/>/.exec(
        html,
      );
      expect(meta, "the CSP <meta> is the first element of <head>").not.toBeNull();
      expect(meta![1]!.replace(/'sha256-[A-Za-z0-9+/=]+'/g, "'sha256-…'")).toBe(
        "default-src 'none'; script-src 'sha256-…' 'sha256-…'; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'",
      );
    });

    it("renders every view, its run detail and its exports with no CSP violation and no request", async () => {
      await rendered("#workload=1024%2F1024");
      const plotted = await tab.evaluate(() =>
        window
          .__infermark!.plotted()
          .filter((s) => s.type === "scatter")
          .reduce((k, s) => k + s.data.length, 0),
      );
      expect(plotted).toBe(7);
      const [csv] = await Promise.all([
        tab.waitForEvent("download"),
        tab.getByRole("button", { name: "Export CSV" }).click(),
      ]);
      expect(csv.suggestedFilename()).toBe("infermark-frontier.csv");
      const [png] = await Promise.all([
        tab.waitForEvent("download"),
        tab.getByRole("button", { name: "Export PNG" }).click(),
      ]);
      expect(
        readFileSync((await png.path())!)
          .subarray(1, 4)
          .toString(),
      ).toBe("PNG");
      const ownId = await tab.evaluate(
        () =>
          (
            window as unknown as {
              __INFERMARK_REPORT__: {
                points: { id: string; point: { run: { runId?: string } } }[];
              };
            }
          ).__INFERMARK_REPORT__.points.find((p) => p.point.run.runId === "e2e")!.id,
      );
      for (const hash of [
        "#view=compare&workload=1024%2F1024&target=20",
        "#view=trends&workload=1024%2F1024&target=20",
        "#theme=dark&workload=1024%2F1024",
      ])
        await rendered(hash);
      // the run view draws its embedded request records' distributions
      await rendered(`#view=run&run=${ownId}`);
      await expect.poll(() => tab.locator("#run-charts .chart").count()).toBeGreaterThan(0);
      expect(seen).toEqual([]);
    }, 120_000);

    it("the policy is in force: a fetch, an image or a script from elsewhere is refused by it, not sent", async () => {
      await rendered("#workload=1024%2F1024");
      const fetched = await tab.evaluate(() =>
        fetch("https://example.com/x").then(
          () => "sent",
          () => "refused",
        ),
      );
      expect(fetched).toBe("refused");
      await tab.evaluate(() => {
        const img = document.createElement("img");
        img.src = "https://example.com/pixel.png";
        const script = document.createElement("script");
        script.src = "https://example.com/x.js";
        document.body.append(img, script);
      });
      await expect.poll(() => seen.length).toBeGreaterThanOrEqual(3);
      expect(seen.sort()).toEqual([
        "CSP violation: connect-src https://example.com/x",
        "CSP violation: img-src https://example.com/pixel.png",
        "CSP violation: script-src-elem https://example.com/x.js",
      ]);
    }, 60_000);
  },
);
