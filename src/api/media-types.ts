import { versionLessThan } from "./version.js";

export const RAW_STREAM = "application/vnd.docker.raw-stream";
export const MULTIPLEXED_STREAM = "application/vnd.docker.multiplexed-stream";

/**
 * The media type of a logs, attach or exec stream, as dockerd picks it: the
 * multiplexed type exists from API 1.42 on and names stdcopy-framed (non-TTY)
 * output; TTY output and older clients get the raw type.
 */
export function streamMediaType(apiVersion: string, multiplexed: boolean): string {
  return multiplexed && !versionLessThan(apiVersion, "1.42") ? MULTIPLEXED_STREAM : RAW_STREAM;
}
