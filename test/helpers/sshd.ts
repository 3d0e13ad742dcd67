import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, promises as fs } from "node:fs";
import { run, uniqueName, waitFor, WHARF } from "./daemon.js";
import { freePort, isListening } from "./ports.js";

/**
 * A private OpenSSH server on 127.0.0.1 for ssh:// tests: its own host key,
 * sshd_config, authorized key and pid file under one temp dir. Sessions get a
 * PATH whose `wharf` and `docker` are this checkout's bin/wharf, and a
 * DOCKER_HOST pointing at the test daemon, so `… system dial-stdio` on the
 * "remote" side reaches it. Clients use `clientEnv()`: a PATH whose `ssh`
 * wraps the system one with a private config (key, known_hosts), so nothing
 * under ~/.ssh is read or written.
 */
export class TestSshd {
  readonly dir = `/tmp/wharf-sshd-${uniqueName("s")}`;
  port = 0;
  private proc?: ChildProcess;
  private madeRunSshd = false;

  async start(remoteDockerHost: string): Promise<void> {
    const d = this.dir;
    await fs.mkdir(`${d}/remote-bin`, { recursive: true, mode: 0o700 });
    await fs.mkdir(`${d}/client-bin`, { recursive: true });
    for (const [file, comment] of [["host_key", "host"], ["id_ed25519", "client"]]) {
      const r = await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", `wharf-test-${comment}`, "-f", `${d}/${file}`]);
      if (r.code !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
    }
    await fs.copyFile(`${d}/id_ed25519.pub`, `${d}/authorized_keys`);
    for (const name of ["wharf", "docker"]) await fs.symlink(WHARF, `${d}/remote-bin/${name}`);
    this.port = await freePort();
    await fs.writeFile(
      `${d}/sshd_config`,
      [
        `Port ${this.port}`,
        "ListenAddress 127.0.0.1",
        `HostKey ${d}/host_key`,
        `PidFile ${d}/sshd.pid`,
        `AuthorizedKeysFile ${d}/authorized_keys`,
        "StrictModes no",
        "UsePAM no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PubkeyAuthentication yes",
        "PermitRootLogin prohibit-password",
        `SetEnv PATH=${d}/remote-bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin DOCKER_HOST=${remoteDockerHost}`,
        "LogLevel ERROR",
        "",
      ].join("\n"),
    );
    const hostPub = (await fs.readFile(`${d}/host_key.pub`, "utf8")).trim().split(" ").slice(0, 2).join(" ");
    await fs.writeFile(`${d}/known_hosts`, `[127.0.0.1]:${this.port} ${hostPub}\n`);
    await fs.writeFile(
      `${d}/ssh_config`,
      ["Host *", `  IdentityFile ${d}/id_ed25519`, "  IdentitiesOnly yes", `  UserKnownHostsFile ${d}/known_hosts`, "  GlobalKnownHostsFile /dev/null", "  StrictHostKeyChecking yes", "  BatchMode yes", ""].join("\n"),
    );
    await fs.writeFile(`${d}/client-bin/ssh`, `#!/bin/sh\nexec /usr/bin/ssh -F ${d}/ssh_config "$@"\n`, { mode: 0o755 });
    // sshd insists on its privilege-separation directory; Debian's service creates it at boot.
    if (!existsSync("/run/sshd")) {
      await fs.mkdir("/run/sshd", { mode: 0o755 });
      this.madeRunSshd = true;
    }
    this.proc = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", `${d}/sshd_config`], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    this.proc.stderr!.on("data", (c) => (err += c));
    let exited = false;
    this.proc.once("exit", () => (exited = true));
    await waitFor(`sshd on 127.0.0.1:${this.port}`, async () => {
      if (exited) throw new Error(`sshd exited: ${err}`);
      return isListening(this.port);
    });
  }

  /** Environment for a client (docker or wharf) whose `ssh` uses this server's key and known_hosts. */
  clientEnv(): Record<string, string> {
    return { PATH: `${this.dir}/client-bin:${process.env.PATH ?? "/usr/bin:/bin"}` };
  }

  url(user = "root"): string {
    return `ssh://${user}@127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null && p.signalCode === null) {
      const gone = new Promise((r) => p.once("exit", r));
      p.kill("SIGTERM");
      await gone;
    }
    if (this.madeRunSshd) await fs.rmdir("/run/sshd").catch(() => undefined);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

