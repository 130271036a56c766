import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { WebAssetsError } from "./errors.js";

/**
 * The folder of the built dashboard (packages/web/dist/app), the same from the source and the built package.
 * @example join(webAppDir(), "index.html")
 */
export function webAppDir(): string {
  return fileURLToPath(new URL("../../dist/app/", import.meta.url));
}

/** The built dashboard's folder; throws, saying how to build it, when it is missing. */
export function requireWebApp(): string {
  const dir = webAppDir();
  if (!existsSync(`${dir}index.html`) || !existsSync(`${dir}app.js`))
    throw new WebAssetsError(
      `the dashboard is not built (${dir} is missing); run \`npm run build -w @infermark/web\` or \`npm run build\``,
    );
  return dir;
}
