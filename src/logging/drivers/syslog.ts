// The syslog driver: dockerd's message formats (its default "unix" format,
// rfc3164, rfc5424, rfc5424micro) over udp, tcp, tcp+tls, unix and unixgram.
// One difference: the time stamp is the time the container wrote the line,
// not the time of sending, so output delivered late keeps its time.
import { readFileSync } from "node:fs";
import os from "node:os";
import { parseSyslogAddress, parseSyslogFacility } from "../log-config.js";
import type { LogSink, OutRecord } from "../sink.js";
import { StreamTransport, UdpTransport, UnixDgramTransport, type Transport } from "./transport.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const p2 = (n: number) => String(n).padStart(2, "0");

/** Go's time.Stamp in local time: "Jan _2 15:04:05". */
function stamp(d: Date): string {
  return `${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, " ")} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
}

/** RFC 3339 in local time with the zone offset (Z in UTC), optionally with microseconds. */
function rfc3339(d: Date, micros?: number): string {
  const off = -d.getTimezoneOffset();
  const zone = off === 0 ? "Z" : `${off > 0 ? "+" : "-"}${p2(Math.floor(Math.abs(off) / 60))}:${p2(Math.abs(off) % 60)}`;
  const frac = micros === undefined ? "" : `.${String(micros).padStart(6, "0")}`;
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}${frac}${zone}`;
}

export type SyslogFormat = "" | "rfc3164" | "rfc5424" | "rfc5424micro";

export function formatSyslog(format: SyslogFormat, pri: number, timeNano: bigint, hostname: string, tag: string, pid: number, msg: string): string {
  const d = new Date(Number(timeNano / 1_000_000n));
  switch (format) {
    case "rfc3164":
      return `<${pri}>${stamp(d)} ${hostname} ${tag}[${pid}]: ${msg}`;
    case "rfc5424":
      return `<${pri}>1 ${rfc3339(d)} ${hostname} ${tag} ${pid} ${tag} - ${msg}`;
    case "rfc5424micro":
      return `<${pri}>1 ${rfc3339(d, Number((timeNano / 1000n) % 1_000_000n))} ${hostname} ${tag} ${pid} ${tag} - ${msg}`;
    default:
      return `<${pri}>${stamp(d)} ${tag}[${pid}]: ${msg}`;
  }
}

export class SyslogSink implements LogSink {
  private transport?: Transport;
  private readonly facility: number;
  private readonly format: SyslogFormat;
  private readonly hostname = os.hostname();
  private readonly octetCounting: boolean;

  constructor(private readonly opts: Record<string, string>, private readonly tag: string) {
    this.facility = parseSyslogFacility(opts["syslog-facility"]);
    this.format = (opts["syslog-format"] ?? "") as SyslogFormat;
    const addr = parseSyslogAddress(opts["syslog-address"]);
    // RFC 5425 (syslog over TLS) frames rfc5424 messages with their length.
    this.octetCounting = addr?.proto === "tcp+tls" && this.format.startsWith("rfc5424");
  }

  private async dial(): Promise<Transport> {
    const addr = parseSyslogAddress(this.opts["syslog-address"]);
    if (!addr) {
      // No address: the local syslog socket, as Go's syslog.Dial("", "") finds it.
      for (const path of ["/dev/log", "/var/run/syslog", "/var/run/log"]) {
        for (const t of [new UnixDgramTransport(path), new StreamTransport({ kind: "unix", path })]) {
          try {
            await t.connect();
            return t;
          } catch {
            /* next */
          }
        }
      }
      throw new Error("Unix syslog delivery error");
    }
    const [host, port] = splitHostPort(addr.address);
    let t: Transport;
    if (addr.proto === "udp") t = new UdpTransport(host, port);
    else if (addr.proto === "tcp") t = new StreamTransport({ kind: "tcp", host, port });
    else if (addr.proto === "unix") t = new StreamTransport({ kind: "unix", path: addr.address });
    else if (addr.proto === "unixgram") t = new UnixDgramTransport(addr.address);
    else {
      const o = this.opts;
      t = new StreamTransport({
        kind: "tls", host, port,
        tls: {
          ca: o["syslog-tls-ca-cert"] ? readFileSync(o["syslog-tls-ca-cert"]) : undefined,
          cert: o["syslog-tls-cert"] ? readFileSync(o["syslog-tls-cert"]) : undefined,
          key: o["syslog-tls-key"] ? readFileSync(o["syslog-tls-key"]) : undefined,
          rejectUnauthorized: !["1", "true", "t", "TRUE", "True"].includes(o["syslog-tls-skip-verify"] ?? ""),
          servername: host,
        },
      });
    }
    await t.connect();
    return t;
  }

  async open(): Promise<void> {
    this.transport ??= await this.dial();
  }

  private frame(r: OutRecord): Buffer {
    const pri = this.facility * 8 + (r.stream === "stderr" ? 3 : 6);
    const text = formatSyslog(this.format, pri, r.timeNano, this.hostname, this.tag, process.pid, r.line.toString("utf8"));
    const msg = text.endsWith("\n") ? text : `${text}\n`;
    return Buffer.from(this.octetCounting ? `${Buffer.byteLength(msg)} ${msg}` : msg);
  }

  async send(batch: OutRecord[]): Promise<void> {
    const t = (this.transport ??= await this.dial());
    const frames = batch.filter((r) => r.line.length > 0).map((r) => this.frame(r));
    try {
      if (t instanceof StreamTransport) await t.write(Buffer.concat(frames));
      else for (const f of frames) await t.write(f);
    } catch (err) {
      t.close();
      this.transport = undefined;
      throw err;
    }
  }

  async close(): Promise<void> {
    this.transport?.close();
    this.transport = undefined;
  }
}

export function splitHostPort(a: string): [string, number] {
  const i = a.lastIndexOf(":");
  return [a.slice(0, i).replace(/^\[|\]$/g, ""), Number(a.slice(i + 1))];
}
