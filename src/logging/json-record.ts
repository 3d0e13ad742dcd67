// Fast decoding of json-file log lines as wharf-shim writes them:
//   {"log":"<escaped>","stream":"stdout"[,"attrs":{...}],"time":"<RFC3339Nano>"}\n
// A full JSON.parse per line costs more than everything else in `docker logs` of a big log
// (100 MB = 1 M lines). The log value is sliced from the bytes and unescaped only when it holds
// escapes other than the trailing "\n"; any line of another shape falls back to JSON.parse.

export interface LogEntry {
  log: Buffer;
  stream: "stdout" | "stderr";
  time: string;
}

const PREFIX = Buffer.from('{"log":"');
// Inside the escaped value every '"' is preceded by a backslash, so this cannot occur there.
const VALUE_END = Buffer.from('","stream":"');
const TIME_KEY = Buffer.from('","time":"');
const NEWLINE = Buffer.from("\n");
const BACKSLASH = 0x5c;

/** Decode one line (without its '\n'); undefined for a torn or foreign line. */
export function decodeLogLine(line: Buffer): LogEntry | undefined {
  if (line.length > PREFIX.length && line.subarray(0, PREFIX.length).equals(PREFIX)) {
    const end = line.indexOf(VALUE_END, PREFIX.length);
    const tk = end < 0 ? -1 : line.lastIndexOf(TIME_KEY);
    if (tk > end && line[line.length - 1] === 0x7d && line[line.length - 2] === 0x22) {
      const s0 = end + VALUE_END.length;
      const stream = line[s0 + 6] === 0x22 ? line.toString("latin1", s0, s0 + 6) : "";
      if (stream === "stdout" || stream === "stderr") {
        return { log: unescapeValue(line.subarray(PREFIX.length, end)), stream, time: line.toString("latin1", tk + TIME_KEY.length, line.length - 2) };
      }
    }
  }
  try {
    const e = JSON.parse(line.toString("utf8")) as { log?: unknown; stream?: unknown; time?: unknown };
    if (typeof e.log !== "string" || (e.stream !== "stdout" && e.stream !== "stderr")) return undefined;
    return { log: Buffer.from(e.log, "utf8"), stream: e.stream, time: String(e.time ?? "") };
  } catch {
    return undefined;
  }
}

/** The raw bytes of an escaped JSON string value (the quotes already stripped). */
function unescapeValue(v: Buffer): Buffer {
  const bs = v.indexOf(BACKSLASH);
  if (bs < 0) return v;
  // The common case: a whole line whose only escape is the final "\n".
  if (bs === v.length - 2 && v[v.length - 1] === 0x6e) return Buffer.concat([v.subarray(0, bs), NEWLINE]);
  return Buffer.from(JSON.parse(`"${v.toString("utf8")}"`) as string, "utf8");
}
