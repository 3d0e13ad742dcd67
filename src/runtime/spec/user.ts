/**
 * Resolves Docker's --user / Config.User ("name", "uid", "name:group",
 * "uid:gid", ...) and --group-add against the container's own /etc/passwd and
 * /etc/group, like Docker does before handing the numeric ids to the runtime.
 */
import { InvalidArgumentError } from "../../lib/errors.js";
import { readFileInRoot } from "./rootfs-path.js";

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export interface ResolvedUser {
  uid: number;
  gid: number;
  /** Primary gid first, then the user's supplementary groups, then --group-add. */
  additionalGids: number[];
  /** The user's home directory (for HOME). */
  home: string;
}

const MAX_ID = 2 ** 31 - 1;

/** Parses passwd(5) lines; malformed lines are skipped like libc does. */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const f = line.split(":");
    if (f.length < 4) continue;
    const uid = parseId(f[2]!);
    const gid = parseId(f[3]!);
    if (uid === undefined || gid === undefined) continue;
    out.push({ name: f[0]!, uid, gid, home: f[5] ?? "", shell: f[6] ?? "" });
  }
  return out;
}

/** Parses group(5) lines. */
export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.startsWith("#")) continue;
    const f = line.split(":");
    if (f.length < 3) continue;
    const gid = parseId(f[2]!);
    if (gid === undefined) continue;
    const members = (f[3] ?? "").split(",").map((m) => m.trim()).filter((m) => m !== "");
    out.push({ name: f[0]!, gid, members });
  }
  return out;
}

function parseId(s: string): number | undefined {
  if (!/^\d+$/.test(s.trim())) return undefined;
  const n = Number(s.trim());
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A numeric id from user input, range-checked like the runtimes do. */
function numericArg(s: string): number | undefined {
  const n = parseId(s);
  if (n === undefined) return undefined;
  if (n > MAX_ID) throw new InvalidArgumentError(`uids and gids must be in range 0-${MAX_ID}`);
  return n;
}

export interface UserDatabase {
  passwd: PasswdEntry[];
  groups: GroupEntry[];
}

/** Reads /etc/passwd and /etc/group from the rootfs (missing files mean empty databases). */
export async function readUserDatabase(rootfs: string): Promise<UserDatabase> {
  const [passwd, group] = await Promise.all([readFileInRoot(rootfs, "/etc/passwd"), readFileInRoot(rootfs, "/etc/group")]);
  return { passwd: parsePasswd(passwd ?? ""), groups: parseGroup(group ?? "") };
}

/**
 * Reads /etc/passwd and /etc/group from an unmounted overlay: the first layer
 * (top first: the container's upper dir, then the image's lower dirs) that
 * holds the file wins. The monitor mounts the rootfs only after the spec is written.
 */
export async function readUserDatabaseFromLayers(layers: readonly string[]): Promise<UserDatabase> {
  const first = async (file: string) => {
    for (const dir of layers) {
      const text = await readFileInRoot(dir, file);
      if (text !== undefined) return text;
    }
    return undefined;
  };
  const [passwd, group] = await Promise.all([first("/etc/passwd"), first("/etc/group")]);
  return { passwd: parsePasswd(passwd ?? ""), groups: parseGroup(group ?? "") };
}

function findGroup(groups: GroupEntry[], arg: string): GroupEntry | undefined {
  const id = parseId(arg);
  return groups.find((g) => g.name === arg || (id !== undefined && g.gid === id));
}

/**
 * Resolves a user spec against a user database.
 * @throws InvalidArgumentError when a named user or group does not exist.
 */
export function resolveUserIn(db: UserDatabase, spec: string, groupAdd: readonly string[] = []): ResolvedUser {
  const colon = spec.indexOf(":");
  const userArg = colon < 0 ? spec : spec.slice(0, colon);
  const groupArg = colon < 0 ? undefined : spec.slice(colon + 1);

  let uid: number;
  let gid = 0;
  let home: string | undefined;
  let entry: PasswdEntry | undefined;
  const wantedUser = userArg === "" ? "0" : userArg;
  const uidArg = numericArg(wantedUser);
  entry = db.passwd.find((u) => u.name === wantedUser || (uidArg !== undefined && u.uid === uidArg));
  if (entry) {
    uid = entry.uid;
    gid = entry.gid;
    home = entry.home;
  } else if (uidArg !== undefined) {
    uid = uidArg;
  } else {
    throw new InvalidArgumentError(`unable to find user ${userArg}: no matching entries in passwd file`);
  }

  const supplementary: number[] = [];
  if (groupArg !== undefined && groupArg !== "") {
    const g = findGroup(db.groups, groupArg);
    const gidArg = numericArg(groupArg);
    if (g) gid = g.gid;
    else if (gidArg !== undefined) gid = gidArg;
    else throw new InvalidArgumentError(`unable to find group ${groupArg}: no matching entries in group file`);
  } else if (entry) {
    // Without an explicit group the user keeps the groups that list it as a member.
    for (const g of db.groups) if (g.members.includes(entry.name)) supplementary.push(g.gid);
  }

  for (const name of groupAdd) {
    const g = findGroup(db.groups, name);
    const n = numericArg(name);
    if (g) supplementary.push(g.gid);
    else if (n !== undefined) supplementary.push(n);
    else throw new InvalidArgumentError(`Unable to find group ${name}: no matching entries in group file`);
  }

  return {
    uid,
    gid,
    additionalGids: [...new Set([gid, ...supplementary])],
    home: home || (uid === 0 ? "/root" : "/"),
  };
}

/** Resolves a user spec against the container's own /etc/passwd and /etc/group. */
export async function resolveUser(rootfs: string, spec: string, groupAdd: readonly string[] = []): Promise<ResolvedUser> {
  return resolveUserIn(await readUserDatabase(rootfs), spec, groupAdd);
}
