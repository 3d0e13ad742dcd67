/**
 * A compose failure the user can act on: the message names the file, the
 * service and the key where it can, and the CLI prints it as is (no stack).
 */
export class ComposeError extends Error {
  constructor(
    message: string,
    /** docker compose exits 15 for invalid project files, 1 otherwise. */
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = "ComposeError";
  }
}

/** A project file that cannot be used as it is (bad YAML, schema, references). */
export class InvalidProjectError extends ComposeError {
  constructor(message: string) {
    super(message, 15);
    this.name = "InvalidProjectError";
  }
}
