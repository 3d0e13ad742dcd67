import type { Duplex } from "node:stream";
import type { CliContext, CommandModule } from "../../context.js";
import type { ParsedFlags } from "../../flags.js";
import { dialRaw } from "../../../client/dial.js";

/**
 * `wharf system dial-stdio`: copy stdin to a raw connection to the engine
 * and the connection to stdout, with half-closes. An `ssh://` client (wharf's
 * or the docker CLI's) runs this on the remote host; it connects where this
 * host's own settings point (DOCKER_HOST, -H, the current context).
 */
export const command: CommandModule["command"] = {
  use: "",
  short: "Proxy the stdio stream to the daemon connection. Should not be invoked manually.",
  args: { exact: 0 },
  flags: [],
};

export async function run(ctx: CliContext, _p: ParsedFlags): Promise<number> {
  const ep = ctx.endpoint();
  let conn: Duplex;
  try {
    conn = await dialRaw(ep.host, ep.host.kind === "tcp" ? ep.tls : undefined);
  } catch (err) {
    throw new Error(`failed to open the raw stream connection: ${(err as Error).message}`);
  }
  const stdin = ctx.io.stdin;
  const stdout = ctx.io.stdout;
  return new Promise<number>((resolve) => {
    let done = false;
    const finish = (code: number) => {
      if (done) return;
      done = true;
      stdin.pause();
      conn.destroy();
      resolve(code);
    };
    stdin.on("data", (d: Buffer) => {
      if (!conn.write(d)) stdin.pause();
    });
    conn.on("drain", () => stdin.resume());
    stdin.on("end", () => conn.end()); // the client closed its write side: pass the half-close on
    stdin.on("error", () => conn.end());
    conn.on("data", (d: Buffer) => {
      if (!stdout.write(d)) {
        conn.pause();
        stdout.once("drain", () => conn.resume());
      }
    });
    // the engine closed: flush what we have and stop, without waiting for stdin (docker does the same)
    conn.on("end", () => stdout.write("", () => finish(0)));
    conn.on("error", (err) => {
      ctx.io.stderr.write(`error while copying: ${err.message}\n`);
      finish(1);
    });
    stdin.resume();
  });
}
