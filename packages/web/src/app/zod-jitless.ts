/**
 * Turns zod's compiled parsers off before any schema is built. zod (through @infermark/core) probes `new Function`
 * as it builds its object schemas; under the page's Content-Security-Policy (`infermark ui` sends one without
 * 'unsafe-eval') the probe fails, harmlessly, but the browser reports a CSP violation on every page load. The
 * dashboard parses nothing with zod, so it loses nothing. zod takes its settings from this global when it loads:
 * main.ts imports this module first, before anything that imports core.
 */
const scope = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
scope.__zod_globalConfig = { ...scope.__zod_globalConfig, jitless: true };
