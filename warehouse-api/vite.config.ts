import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The staff dashboard: built into dist/dashboard, which the warehouse serves on its own origin, so the
// session cookie and the API share one origin. In development the Vite server proxies the API instead.
const API = "http://localhost:9000";

export default defineConfig({
  root: "dashboard",
  base: "/",
  plugins: [react()],
  build: { outDir: "../dist/dashboard", emptyOutDir: true },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { "/api": API, "/healthz": API },
  },
});
