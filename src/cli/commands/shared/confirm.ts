import type { CliContext } from "../../context.js";
import { StatusError } from "../../context.js";

/**
 * docker's prune prompt: `<message> [y/N] `, reads one line from stdin;
 * anything but y/Y cancels (docker then exits 0 with nothing removed...
 * newer versions report "Cancelled" — we print nothing, like 28.x non-TTY).
 */
export async function confirm(ctx: CliContext, message: string): Promise<boolean> {
  ctx.io.stdout.write(`${message} [y/N] `);
  const line = await readLine(ctx.io.stdin);
  const ok = /^\s*[yY]\s*$/.test(line);
  if (!ok) throw new StatusError(0, "");
  return ok;
}

function readLine(stdin: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let buf = "";
    const onData = (c: Buffer) => {
      buf += c.toString("utf8");
      const nl = buf.indexOf("\n");
      if (nl >= 0) finish(buf.slice(0, nl));
    };
    const finish = (s: string) => {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.pause();
      resolve(s);
    };
    const onEnd = () => finish(buf);
    stdin.on("data", onData);
    stdin.once("end", onEnd);
  });
}
