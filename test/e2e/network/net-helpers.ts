import net from "node:net";
import { run, type TestDaemon } from "../../helpers/daemon.js";

/** The real docker CLI against the test daemon; throws with stderr on failure. */
export function docker(d: TestDaemon) {
  return async (...args: string[]) => {
    const r = await run("docker", args, { env: d.env, timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`docker ${args.join(" ")} → ${r.code}: ${r.stderr}`);
    return r.stdout.trim();
  };
}

/** A TCP port free on 127.0.0.1 right now (bound then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** HTTP GET through a raw socket (no proxies from the environment), bounded. */
export function httpGet(host: string, port: number, path = "/"): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    let data = "";
    const timer = setTimeout(() => (sock.destroy(), reject(new Error("timeout"))), 5000);
    sock.on("connect", () => sock.write(`GET ${path} HTTP/1.0\r\nHost: x\r\n\r\n`));
    sock.on("data", (b) => (data += b));
    sock.on("error", (e) => (clearTimeout(timer), reject(e)));
    sock.on("end", () => (clearTimeout(timer), resolve(data)));
  });
}

/** A httpd container command serving `text` at /index.html. */
export function httpdCmd(text: string, port = 80): string[] {
  return ["sh", "-c", `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p ${port} -h /www`];
}

export async function hostRun(cmd: string, args: string[]): Promise<string> {
  const r = await run(cmd, args);
  return r.stdout;
}
