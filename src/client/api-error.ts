/**
 * A non-2xx answer from the Engine API. `message` is the daemon's own text
 * (the `message` field of its JSON body), which the CLI prints after
 * "Error response from daemon: ".
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Transport-level failure: nothing answered at the configured host. */
export class ConnectionError extends Error {
  constructor(
    readonly host: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(connectionMessage(host), options);
    this.name = "ConnectionError";
  }
}

function connectionMessage(host: string): string {
  return `Cannot connect to the Docker daemon at ${host}. Is the docker daemon running?`;
}

/** Decode the daemon's error body: JSON `{"message": ...}` or plain text. */
export function decodeErrorBody(statusCode: number, body: string): ApiError {
  let message = body.trim();
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (parsed && typeof parsed.message === "string") message = parsed.message;
  } catch {
    // plain-text error body: use as is
  }
  if (!message) message = `API error (${statusCode})`;
  return new ApiError(statusCode, message);
}
