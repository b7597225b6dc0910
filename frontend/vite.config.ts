/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const backend = process.env.TEMPO_API_URL ?? "http://127.0.0.1:8000";
const proxied = ["/api", "/graphql", "/healthz", "/readyz"];

export default defineConfig({
  base: "/",
  plugins: [react()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(
      proxied.map((path) => [path, { target: backend, changeOrigin: false }]),
    ),
  },
  build: {
    outDir: "dist",
    sourcemap: true,
    // The ECharts chunk (~560 kB, ~190 kB gzipped) is only loaded by the lazy chart views.
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
  },
});
