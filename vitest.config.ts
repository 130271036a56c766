import { defineConfig } from "vitest/config";

const packages = ["core", "bench", "sim", "store", "web", "cli"];

export default defineConfig({
  resolve: { conditions: ["infermark-source"] },
  ssr: { resolve: { conditions: ["infermark-source"] } },
  test: {
    projects: packages.map((name) => ({
      extends: true,
      test: {
        name,
        root: `packages/${name}`,
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      },
    })),
    // generous: many tests start CLI processes, which take several seconds each on a loaded 2-core machine;
    // a timeout here catches a hang, never a slow run (speed is measured under bench/, not in tests)
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for something another process or a browser's next frame does, which a loaded machine gives
    // late (a CI run once missed the default second for a dashboard resize); a poll that never succeeds still fails
    expect: { poll: { timeout: 10_000 } },
  },
});
