import { defineConfig } from "vite";

// The dashboard: one HTML page, one script and one stylesheet with fixed names, so that `infermark ui` can serve
// them and `infermark report` can inline them into a self-contained HTML file.
export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  publicDir: false,
  resolve: { conditions: ["infermark-source", "module", "browser", "development|production"] },
  build: {
    outDir: "dist/app",
    emptyOutDir: true,
    target: "es2022",
    modulePreload: { polyfill: false },
    assetsInlineLimit: 100_000,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        entryFileNames: "app.js",
        chunkFileNames: "app-[name].js",
        assetFileNames: "app[extname]",
      },
    },
  },
});
