import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

/** The repository root. */
export const REPO = fileURLToPath(new URL("../../../../", import.meta.url));

/** Chromium for the browser tests: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/**
 * Why the browser tests cannot run here (no chromium, dashboard not built), or undefined when they can. With
 * INFERMARK_SYSTEM_TESTS=required a missing prerequisite throws instead, so CI fails rather than skips.
 */
export function browserTestsBlocker(): string | undefined {
  let reason: string | undefined;
  if (!existsSync(CHROMIUM))
    reason = `chromium not found at ${CHROMIUM} (run .ci/setup-chromium.sh or set CHROMIUM_PATH)`;
  else if (!existsSync(`${REPO}packages/web/dist/app/app.js`))
    reason = "the dashboard is not built (npm run build -w @infermark/web)";
  if (reason && process.env.INFERMARK_SYSTEM_TESTS === "required")
    throw new Error(`browser tests required but ${reason}`);
  if (reason) console.warn(`skipping browser tests: ${reason}`);
  return reason;
}

/** Launches headless chromium without any network-facing background service, in a new empty profile. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Runs the infermark CLI from source (as `npm run dev` does) and resolves with its output. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
    });
    child.stderr?.on("data", (d) => {
      out += d;
    });
    child.on("exit", (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`infermark ${args.join(" ")}: exit ${code}\n${out}`)),
    );
  });
}

function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(
    process.execPath,
    ["--conditions=infermark-source", "--import", "tsx", "packages/cli/src/run.ts", ...args],
    { cwd: REPO, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
}

/** A running `infermark ui`: its URL and how to stop it. */
export interface UiProcess {
  url: string;
  stop(): Promise<void>;
}

/** Starts `infermark ui --port 0` on a database (more flags in `args`) and resolves with the URL it prints. */
export function startUi(
  db: string,
  env: NodeJS.ProcessEnv = {},
  args: readonly string[] = [],
): Promise<UiProcess> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(["ui", "--db", db, "--port", "0", ...args], env);
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`infermark ui did not start:\n${out}`)),
      60_000,
    );
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      }
    });
    child.stderr?.on("data", (d) => {
      out += d;
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`infermark ui exited (${code}):\n${out}`));
    });
  });
}

/** A rectangle of an image, in its pixels. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * The RGBA bytes of rectangles of a PNG, decoded by the page's browser (a canvas): one flat array per box, in the
 * boxes' order.
 */
export function pngPixels(
  page: Page,
  png: Buffer,
  boxes: readonly PixelBox[],
): Promise<number[][]> {
  return page.evaluate(
    async ([b64, at]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      return at.map((b) => [...ctx.getImageData(b.x, b.y, b.width, b.height).data]);
    },
    [png.toString("base64"), boxes] as const,
  );
}
