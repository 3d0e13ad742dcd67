import assert from "node:assert/strict";
import { run, uniqueName, waitFor } from "./daemon.js";

/**
 * A real terminal: tmux runs the real docker CLI; we type and read the pane.
 * Each terminal has a tmux server of its own (-L): test files running side by
 * side must not race to start, or share, one server.
 */
export class Tmux {
  readonly session = uniqueName("tmux");
  constructor(private readonly env: Record<string, string>) {}
  private tmux(...args: string[]) {
    return run("tmux", ["-L", this.session, "-f", "/dev/null", ...args]);
  }
  async start(cmd: string, w = 100, h = 30): Promise<void> {
    const envs = Object.entries(this.env).map(([k, v]) => `${k}=${v}`).join(" ");
    // `; sleep 30` keeps the pane readable after the CLI exits.
    const r = await this.tmux("new-session", "-d", "-s", this.session, "-x", String(w), "-y", String(h), `env ${envs} ${cmd}; echo "EXIT=$?"; sleep 30`);
    assert.equal(r.code, 0, r.stderr);
  }
  keys(...keys: string[]) {
    return this.tmux("send-keys", "-t", this.session, ...keys);
  }
  async pane(): Promise<string> {
    return (await this.tmux("capture-pane", "-p", "-t", this.session)).stdout;
  }
  waitPane(what: string, re: RegExp): Promise<string> {
    return waitFor(`pane to show ${what}`, async () => {
      const p = await this.pane();
      return re.test(p) ? p : undefined;
    });
  }
  resize(w: number, h: number) {
    return this.tmux("resize-window", "-t", this.session, "-x", String(w), "-y", String(h));
  }
  /** Ends the session and its server. */
  kill() {
    return this.tmux("kill-server");
  }
}
