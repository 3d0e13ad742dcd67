/**
 * Turn a runtime's start failure into Docker's message and exit code. The
 * docker CLI picks its own exit code (127 "not found", 126 "cannot invoke")
 * by looking for Docker's lowercase phrases in the message, so we phrase the
 * runtime's error the way runc/Docker do.
 */
export function describeStartError(raw: string, path: string): { message: string; exitCode: number } {
  const notFound = /executable file `?([^`]*)`? not found|No such file or directory|ENOENT/i.test(raw);
  const denied = /permission denied|EACCES/i.test(raw);
  const isDir = /is a directory|EISDIR/i.test(raw);
  let detail: string;
  let exitCode = 128;
  if (notFound) {
    detail = path.includes("/")
      ? `exec: "${path}": stat ${path}: no such file or directory`
      : `exec: "${path}": executable file not found in $PATH`;
    exitCode = 127;
  } else if (denied) {
    detail = `exec: "${path}": permission denied`;
    exitCode = 126;
  } else if (isDir) {
    detail = `exec: "${path}": is a directory`;
    exitCode = 126;
  } else {
    detail = raw.trim();
  }
  return {
    message: `failed to create task for container: OCI runtime create failed: unable to start container process: ${detail}: unknown`,
    exitCode,
  };
}
