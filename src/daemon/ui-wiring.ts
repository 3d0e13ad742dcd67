// The dashboard (src/ui) joins the daemon here. Its code is imported only when
// --ui-addr is set, so a daemon without it pays nothing for it (memory, start time).
import path from "node:path";
import type { Duplex } from "node:stream";
import { fileURLToPath } from "node:url";
import type { UiListener } from "./api-listeners.js";
import type { DaemonConfig } from "./config.js";

export interface Dashboard {
  url: string;
  close(): Promise<void>;
}

/** vite's output, next to the compiled daemon: <checkout>/dist/ui. */
export function dashboardAssetsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url)); // dist/src/daemon
  return process.env.WHARF_UI_ASSETS ?? path.resolve(here, "../../ui");
}

export async function startDashboardIfAsked(ui: UiListener | undefined, cfg: DaemonConfig, connect: (who: string) => Duplex): Promise<Dashboard | undefined> {
  if (!ui) return undefined;
  const { startDashboard } = await import("../ui/server/dashboard.js");
  return startDashboard({ ...ui, connect, assetsDir: dashboardAssetsDir(), urlFile: path.join(cfg.execRoot, "dashboard-url") });
}
