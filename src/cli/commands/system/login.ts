import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import type { CliContext, CommandModule } from "../../context.js";
import { bool, str, type ParsedFlags } from "../../flags.js";
import { configDir } from "../../../client/config-file.js";

/** `wharf login [SERVER]`: check credentials through the daemon (POST /auth), then keep them in config.json like docker. */
export const command: CommandModule["command"] = {
  use: "[OPTIONS] [SERVER]",
  short: "Authenticate to a registry",
  aliases: ["login"],
  args: { max: 1 },
  flags: [
    { long: "username", short: "u", kind: "string", usage: "Username" },
    { long: "password", short: "p", kind: "string", usage: "Password or Personal Access Token (PAT)" },
    { long: "password-stdin", kind: "bool", usage: "Take the Password or Personal Access Token (PAT) from stdin" },
  ],
};

export const DEFAULT_SERVER = "https://index.docker.io/v1/";

/** Registry key as docker stores it: "127.0.0.1:5000", or Docker Hub's legacy URL. */
export function serverKey(server: string | undefined): string {
  if (!server || /^(https?:\/\/)?(index\.|registry-1\.)?docker\.io\/?/.test(server)) return DEFAULT_SERVER;
  return server.replace(/^https?:\/\//, "").replace(/\/+$/, "");
}

/** Domain of an image reference's registry, as config.json keys it. */
export function registryOfImage(ref: string): string {
  const first = ref.split("/")[0];
  if (ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) return first;
  return DEFAULT_SERVER;
}

/** X-Registry-Auth for a registry: config.json's auths entry, or a credential helper's answer; "" when none. */
export function registryAuthHeader(server: string): string {
  const key = serverKey(server);
  const cfg = readConfig();
  let username: string | undefined;
  let password: string | undefined;
  const helper = (cfg.credHelpers as Record<string, string> | undefined)?.[key] ?? (cfg.credsStore as string | undefined);
  if (helper) {
    try {
      const out = execFileSync(`docker-credential-${helper}`, ["get"], { input: key, encoding: "utf8", stdio: ["pipe", "pipe", "ignore"] });
      const doc = JSON.parse(out) as { Username?: string; Secret?: string };
      username = doc.Username;
      password = doc.Secret;
    } catch {
      /* no entry in the helper */
    }
  }
  const entry = (cfg.auths as Record<string, { auth?: string }> | undefined)?.[key];
  if (!username && entry?.auth) {
    const s = Buffer.from(entry.auth, "base64").toString("utf8");
    username = s.slice(0, s.indexOf(":"));
    password = s.slice(s.indexOf(":") + 1);
  }
  if (!username) return "";
  return Buffer.from(JSON.stringify({ username, password, serveraddress: key })).toString("base64url");
}

export function readConfig(): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(configDir(), "config.json"), "utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function writeConfig(cfg: Record<string, unknown>): void {
  mkdirSync(configDir(), { recursive: true });
  const file = join(configDir(), "config.json");
  writeFileSync(`${file}.tmp`, JSON.stringify(cfg, null, "\t") + "\n", { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

export async function run(ctx: CliContext, p: ParsedFlags): Promise<void> {
  const key = serverKey(p.args[0]);
  const username = str(p, "username");
  let password = str(p, "password");
  if (bool(p, "password-stdin")) {
    let data = "";
    for await (const c of ctx.io.stdin) data += c.toString();
    password = data.replace(/\r?\n$/, "");
  }
  if (!username || password === undefined) throw new Error("Must provide --username with --password or --password-stdin");
  const client = await ctx.client();
  const res = await client.jsonCall<{ Status: string }>("POST", "/auth", { body: { username, password, serveraddress: key } });
  const cfg = readConfig();
  const auths = (cfg.auths as Record<string, unknown> | undefined) ?? {};
  auths[key] = { auth: Buffer.from(`${username}:${password}`).toString("base64") };
  cfg.auths = auths;
  writeConfig(cfg);
  ctx.io.stdout.write(`${res.Status}\n`);
}
