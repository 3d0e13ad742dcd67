import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The dashboard's front end: built into dist/ui, which the daemon serves
// (src/ui/server). Everything is bundled: no CDN, nothing fetched at run time.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("../../../dist/ui", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
    reportCompressedSize: false,
  },
});
