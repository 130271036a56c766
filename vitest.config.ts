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
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
