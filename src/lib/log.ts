/** Structured logging to stderr: one line per event, fields as key=value. Log once, at the edge. */
type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3 };
let threshold: Level = (process.env.WHARF_LOG_LEVEL as Level) || "info";

export function setLogLevel(level: Level): void {
  threshold = level;
}

function emit(level: Level, msg: string, fields?: Record<string, unknown>): void {
  if (ORDER[level] < ORDER[threshold]) return;
  let line = `time="${new Date().toISOString()}" level=${level} msg=${JSON.stringify(msg)}`;
  if (fields) for (const [k, v] of Object.entries(fields)) line += ` ${k}=${typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v)}`;
  process.stderr.write(line + "\n");
}

export const log = {
  /** Whether a level is logged: lets callers skip work for lines nobody sees. */
  enabled: (level: Level) => ORDER[level] >= ORDER[threshold],
  debug: (msg: string, fields?: Record<string, unknown>) => emit("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => emit("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => emit("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => emit("error", msg, fields),
};
