// Private Linux bridges for engines that need one (dockerd's --bridge names an existing bridge).
import { runCmd } from "../lib/proc.js";

export async function createBridge(name: string, cidr: string): Promise<void> {
  await deleteBridge(name);
  for (const args of [["link", "add", name, "type", "bridge"], ["addr", "add", cidr, "dev", name], ["link", "set", name, "up"]]) {
    const r = await runCmd({ cmd: "ip", args });
    if (r.code !== 0) throw new Error(`ip ${args.join(" ")}: ${r.stderr.trim()}`);
  }
}

export async function deleteBridge(name: string): Promise<void> {
  await runCmd({ cmd: "ip", args: ["link", "del", name] });
}
