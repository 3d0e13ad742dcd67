import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The system calls of dist/bin/wharf-fsat.node (src/lib/scoped-fs/native/fsat.c). All synchronous. */
export interface FsAt {
  openat2(dirfd: number, path: string, flags: number, mode: number, resolve: number): number;
  mknodat(dirfd: number, name: string, mode: number, major: number, minor: number): void;
  linkat(olddirfd: number, oldpath: string, newdirfd: number, newpath: string, flags: number): void;
  readlinkat(dirfd: number, path: string): string;
  fchownat(dirfd: number, path: string, uid: number, gid: number, flags: number): void;
  getxattr(path: string, name: string): Buffer | null;
  setxattr(path: string, name: string, value: Buffer, flags: number): void;
  readonly O_PATH: number;
  readonly O_NOFOLLOW: number;
  readonly O_DIRECTORY: number;
  readonly O_NONBLOCK: number;
  readonly RESOLVE_IN_ROOT: number;
  readonly RESOLVE_NO_MAGICLINKS: number;
  readonly RESOLVE_NO_SYMLINKS: number;
  readonly RESOLVE_BENEATH: number;
  readonly RESOLVE_NO_XDEV: number;
  readonly AT_FDCWD: number;
  readonly AT_EMPTY_PATH: number;
  readonly AT_SYMLINK_NOFOLLOW: number;
  readonly AT_SYMLINK_FOLLOW: number;
  readonly S_IFCHR: number;
  readonly S_IFBLK: number;
  readonly S_IFIFO: number;
}

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/src/lib/scoped-fs

/** Where `npm run build` puts the native helpers. */
export function nativeBinDir(): string {
  return process.env.WHARF_NATIVE_DIR ?? path.resolve(here, "../../../bin");
}

let loaded: FsAt | undefined;

/** The addon, loaded on first use; a missing build is a clear error, not a crash at import. */
export function fsat(): FsAt {
  if (loaded) return loaded;
  const file = path.join(nativeBinDir(), "wharf-fsat.node");
  try {
    loaded = createRequire(import.meta.url)(file) as FsAt;
  } catch (err) {
    throw new Error(`cannot load ${file} (run \`npm run build\`, which needs a C compiler): ${(err as Error).message}`, { cause: err });
  }
  return loaded;
}
