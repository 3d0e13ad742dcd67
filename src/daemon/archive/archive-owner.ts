import type { ScopedRoot } from "../../lib/scoped-fs/scoped-root.js";
import { parseGroup, parsePasswd, resolveUserIn } from "../../runtime/spec/user.js";

/**
 * `docker cp -a` (copyUIDGID): like dockerd, files go to the container's
 * user (Config.User, looked up in the container's own /etc/passwd and
 * /etc/group); a container without a user keeps the archive's ownership.
 */
export function archiveOwner(root: ScopedRoot, user: string | undefined): { uid: number; gid: number } | undefined {
  if (!user) return undefined;
  const text = (p: string) => root.readFile(p)?.toString("utf8") ?? "";
  const u = resolveUserIn({ passwd: parsePasswd(text("/etc/passwd")), groups: parseGroup(text("/etc/group")) }, user);
  return { uid: u.uid, gid: u.gid };
}
