// Private instances of the real log and metrics receivers (Debian's rsyslog,
// systemd-journald, Prometheus) for tests: own config, own files, free ports.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import net from "node:net";
import { randomBytes } from "node:crypto";
import { waitFor } from "./daemon.js";

export async function freePort(kind: "tcp" | "udp" = "tcp"): Promise<number> {
  if (kind === "udp") {
    const dgram = await import("node:dgram");
    const s = dgram.createSocket("udp4");
    await new Promise<void>((r) => s.bind(0, "127.0.0.1", r));
    const port = s.address().port;
    s.close();
    return port;
  }
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function stopProc(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once("exit", r));
  p.kill("SIGTERM");
  const t = setTimeout(() => p.kill("SIGKILL"), 5000);
  await gone;
  clearTimeout(t);
}

/** rsyslogd with udp, tcp, unix-datagram and unix-stream inputs (and tcp+tls when given certificates), writing every message raw to one file. */
export class Rsyslog {
  /** `tls`: the server's certificate, key and CA (PEM files) for a tcp+tls input on `tlsPort` (rsyslog-gnutls). */
  constructor(private readonly tls?: { ca: string; cert: string; key: string }) {}
  tlsPort = 0;
  readonly dir = `/tmp/wharf-rsyslog-${randomBytes(4).toString("hex")}`;
  readonly out = `${this.dir}/messages`;
  readonly dgramSocket = `${this.dir}/dgram.sock`;
  readonly streamSocket = `${this.dir}/stream.sock`;
  udpPort = 0;
  tcpPort = 0;
  private proc?: ChildProcess;

  async start(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    this.udpPort = await freePort("udp");
    this.tcpPort = await freePort();
    if (this.tls) this.tlsPort = await freePort();
    const tlsGlobal = this.tls
      ? ` defaultNetstreamDriverCAFile="${this.tls.ca}" defaultNetstreamDriverCertFile="${this.tls.cert}" defaultNetstreamDriverKeyFile="${this.tls.key}"`
      : "";
    const tlsInput = this.tls
      ? `input(type="imtcp" address="127.0.0.1" port="${this.tlsPort}" streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon")`
      : "";
    // One line per message: PRI|TIMESTAMP|HOSTNAME|APP-NAME|PROCID|SYSLOGTAG|MSG (messages on the unix-datagram socket carry a hostname: dockerd sends rfc3164 there) (rsyslog's own parse of what arrived).
    const conf = `
global(workDirectory="${this.dir}"${tlsGlobal})
module(load="imudp")
module(load="imtcp")
module(load="imptcp")
module(load="imuxsock" SysSock.Use="off")
input(type="imudp" address="127.0.0.1" port="${this.udpPort}")
input(type="imtcp" address="127.0.0.1" port="${this.tcpPort}")
${tlsInput}
input(type="imuxsock" Socket="${this.dgramSocket}" ParseHostname="on" UseSpecialParser="off")
input(type="imptcp" path="${this.streamSocket}" unlink="on")
template(name="fields" type="string" string="%PRI%|%TIMESTAMP:::date-rfc3339%|%HOSTNAME%|%APP-NAME%|%PROCID%|%syslogtag%|%msg%\\n")
*.* action(type="omfile" file="${this.out}" template="fields" flushOnTXEnd="on" asyncWriting="off")
`;
    await fs.writeFile(`${this.dir}/rsyslog.conf`, conf);
    const log = await fs.open(`${this.dir}/rsyslogd.log`, "a");
    this.proc = spawn("rsyslogd", ["-n", "-f", `${this.dir}/rsyslog.conf`, "-i", `${this.dir}/rsyslogd.pid`], { stdio: ["ignore", log.fd, log.fd] });
    await log.close();
    await waitFor("rsyslogd to listen", () => existsSync(this.dgramSocket) && existsSync(this.streamSocket), 15_000);
    await waitFor("rsyslogd's tcp input", () => new Promise<boolean>((r) => {
      const c = net.connect(this.tcpPort, "127.0.0.1", () => (c.end(), r(true)));
      c.on("error", () => r(false));
    }), 15_000);
    if (this.tls) {
      await waitFor("rsyslogd's tcp+tls input", () => new Promise<boolean>((r) => {
        const c = net.connect(this.tlsPort, "127.0.0.1", () => (c.end(), r(true)));
        c.on("error", () => r(false));
      }), 15_000);
    }
  }

  /** Received messages as [PRI, TIMESTAMP, HOSTNAME, APP-NAME, PROCID, SYSLOGTAG, MSG]. */
  async messages(): Promise<string[][]> {
    const text = await fs.readFile(this.out, "utf8").catch(() => "");
    return text.split("\n").filter(Boolean).map((l) => {
      const parts = l.split("|");
      return [...parts.slice(0, 6), parts.slice(6).join("|").replace(/^ /, "")];
    });
  }

  async stop(): Promise<void> {
    await stopProc(this.proc);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Debian's systemd-journald for one test file. Its socket path is global
 * (/run/systemd/journal/socket, where the journald driver writes), so: one
 * test run at a time (a lock dir), never when another journald owns the path,
 * its journal files and config in a private mount namespace (volatile storage
 * on a bind of a temp dir over /run/log), and the sockets removed afterwards.
 */
export class Journald {
  static readonly SOCKET = "/run/systemd/journal/socket";
  static readonly LOCK = "/run/lock/wharf-test-journald";
  readonly dir = `/tmp/wharf-journald-${randomBytes(4).toString("hex")}`;
  private proc?: ChildProcess;
  private createdDir = false;

  /** Whether a journald we do not own serves the socket (then the test cannot run its own). */
  static async foreignJournal(): Promise<boolean> {
    return existsSync(Journald.SOCKET) && !existsSync(Journald.LOCK);
  }

  private async lock(): Promise<void> {
    await waitFor("the journald test lock", async () => {
      try {
        await fs.mkdir(Journald.LOCK);
        await fs.writeFile(`${Journald.LOCK}/pid`, String(process.pid));
        return true;
      } catch {
        const pid = Number(await fs.readFile(`${Journald.LOCK}/pid`, "utf8").catch(() => "0"));
        let alive = false;
        try {
          if (pid) process.kill(pid, 0), (alive = true);
        } catch {
          alive = false;
        }
        if (!alive) await fs.rm(Journald.LOCK, { recursive: true, force: true });
        return false;
      }
    }, 600_000, 500);
  }

  async start(): Promise<void> {
    await this.lock();
    if (existsSync(Journald.SOCKET)) {
      await fs.rm(Journald.LOCK, { recursive: true, force: true });
      throw new Error(`${Journald.SOCKET} exists: another journald serves it`);
    }
    this.createdDir = !existsSync("/run/systemd/journal");
    await fs.mkdir(`${this.dir}/log`, { recursive: true });
    await fs.writeFile(`${this.dir}/journald.conf`, "[Journal]\nStorage=volatile\nReadKMsg=no\nForwardToSyslog=no\nForwardToWall=no\nForwardToConsole=no\nRateLimitBurst=0\nAudit=no\n");
    const script = `mount --bind ${this.dir}/log /run/log && mount --bind ${this.dir}/journald.conf /etc/systemd/journald.conf && exec /lib/systemd/systemd-journald`;
    const log = await fs.open(`${this.dir}/journald.out`, "a");
    this.proc = spawn("unshare", ["--mount", "--propagation", "private", "sh", "-c", script], { stdio: ["ignore", log.fd, log.fd] });
    await log.close();
    await waitFor("journald's socket", () => existsSync(Journald.SOCKET), 15_000);
  }

  /** Entries (journalctl -o json) matching FIELD=value. */
  async entries(match: string): Promise<Array<Record<string, string>>> {
    const { execFileSync } = await import("node:child_process");
    const out = execFileSync("journalctl", ["-D", `${this.dir}/log/journal`, "-o", "json", "--no-pager", match], { maxBuffer: 256 << 20 }).toString();
    return out.split("\n").filter(Boolean).map((l) => JSON.parse(l));
  }

  async stop(): Promise<void> {
    await stopProc(this.proc);
    for (const f of ["socket", "stdout", "dev-log", "io.systemd.journal", "syslog", "streams"]) await fs.rm(`/run/systemd/journal/${f}`, { recursive: true, force: true });
    if (this.createdDir) await fs.rmdir("/run/systemd/journal").catch(() => undefined);
    await fs.rm(this.dir, { recursive: true, force: true });
    await fs.rm(Journald.LOCK, { recursive: true, force: true });
  }
}

/** Debian's Prometheus scraping one target every second, with its own storage dir and a free port. */
export class Prometheus {
  readonly dir = `/tmp/wharf-prometheus-${randomBytes(4).toString("hex")}`;
  port = 0;
  private proc?: ChildProcess;

  async start(target: string): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    this.port = await freePort();
    await fs.writeFile(`${this.dir}/prometheus.yml`, `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: wharf\n    static_configs:\n      - targets: ["${target}"]\n`);
    const log = await fs.open(`${this.dir}/prometheus.log`, "a");
    this.proc = spawn("prometheus", [`--config.file=${this.dir}/prometheus.yml`, `--storage.tsdb.path=${this.dir}/data`, `--web.listen-address=127.0.0.1:${this.port}`], { stdio: ["ignore", log.fd, log.fd] });
    await log.close();
    await waitFor("prometheus to answer", async () => (await fetch(`http://127.0.0.1:${this.port}/-/ready`).catch(() => undefined))?.ok, 60_000, 200);
  }

  async query(q: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const r = await fetch(`http://127.0.0.1:${this.port}/api/v1/query?query=${encodeURIComponent(q)}`);
    return ((await r.json()) as { data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } }).data.result;
  }

  async stop(): Promise<void> {
    await stopProc(this.proc);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
