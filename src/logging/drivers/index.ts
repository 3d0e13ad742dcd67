// The remote drivers by name, built the way dockerd builds its loggers from a container's info.
import { parseGoDuration } from "../../lib/filters.js";
import type { LogDriverName } from "../log-config.js";
import { extraAttributes, renderTag, type LogInfo } from "../log-info.js";
import type { LogSink } from "../sink.js";
import { FluentdSink } from "./fluentd.js";
import { GelfSink } from "./gelf.js";
import { journalKey, JournaldSink } from "./journald.js";
import { SyslogSink } from "./syslog.js";

export function createSink(driver: LogDriverName, info: LogInfo): LogSink {
  const o = info.Config;
  const tag = renderTag(info, "{{.ID}}");
  switch (driver) {
    case "syslog":
      return new SyslogSink(o, tag);
    case "journald":
      return new JournaldSink({
        CONTAINER_ID: info.ID(), CONTAINER_ID_FULL: info.FullID(), CONTAINER_NAME: info.Name(), CONTAINER_TAG: tag,
        IMAGE_NAME: info.ImageName(), SYSLOG_IDENTIFIER: tag, ...extraAttributes(info, journalKey),
      });
    case "fluentd":
      return new FluentdSink(o, tag, { container_id: info.FullID(), container_name: `/${info.Name()}`, ...extraAttributes(info) });
    case "gelf":
      return new GelfSink(o, {
        _container_id: info.FullID(), _container_name: info.Name(), _image_id: info.ImageFullID(), _image_name: info.ImageName(),
        _command: info.Command(), _tag: tag, _created: info.ContainerCreated, ...extraAttributes(info, (k) => (k.startsWith("_") ? k : `_${k}`)),
      });
    default:
      throw new Error(`${driver} is not a remote log driver`);
  }
}

/** Retry policy of a driver's deliveries (fluentd's options; the others retry without end). */
export function retryPolicy(info: LogInfo): { waitMs: number; maxRetries: number } {
  const o = info.Config;
  const waitMs = Math.max(1, (o["fluentd-retry-wait"] ? parseGoDuration(o["fluentd-retry-wait"]) : undefined) ?? 1000);
  const max = o["fluentd-max-retries"] ? Number(o["fluentd-max-retries"]) : Number.POSITIVE_INFINITY;
  return { waitMs, maxRetries: max };
}
