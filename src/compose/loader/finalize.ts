import { existsSync } from "node:fs";
import { InvalidProjectError } from "../errors.js";
import type { Dict, Network, Project, SecretOrConfig, Service, Volume } from "../model.js";
import { readEnvFile } from "./env-file.js";

/**
 * From the merged dictionary to the Project: resource names scoped by the
 * project (`<project>_<key>` unless `name:` or external), each service's
 * env_file folded under its environment, the implicit `default` network,
 * and profiles applied (services named on the command line, and what they
 * depend on, are enabled whatever their profiles).
 */
export interface FinalizeInput {
  dict: Dict;
  name: string;
  workingDir: string;
  configFiles: string[];
  envFiles: string[];
  environment: Record<string, string>;
  profiles: string[];
  requested: string[];
}

export function finalizeProject(input: FinalizeInput): Project {
  const { dict, name } = input;
  const all: Record<string, Service> = {};
  for (const [svcName, raw] of Object.entries((dict.services ?? {}) as Dict)) all[svcName] = finalizeService(svcName, (raw ?? {}) as Dict, input.environment);

  const networks = scoped<Network>(dict.networks as Dict | undefined, name);
  const usesDefault = Object.values(all).some((s) => s.networks && "default" in s.networks);
  if (usesDefault && !networks.default) networks.default = { name: `${name}_default` };
  const volumes = scoped<Volume>(dict.volumes as Dict | undefined, name);
  const secrets = scoped<SecretOrConfig>(dict.secrets as Dict | undefined, name);
  const configs = scoped<SecretOrConfig>(dict.configs as Dict | undefined, name);

  const { enabled, disabled } = applyProfiles(all, input.profiles, input.requested);
  const extensions: Dict = {};
  for (const [k, v] of Object.entries(dict)) if (k.startsWith("x-")) extensions[k] = v;
  return {
    name,
    workingDir: input.workingDir,
    configFiles: input.configFiles,
    envFiles: input.envFiles,
    environment: input.environment,
    services: enabled,
    disabledServices: disabled,
    networks,
    volumes,
    secrets,
    configs,
    extensions,
  };
}

function finalizeService(name: string, raw: Dict, env: Record<string, string>): Service {
  const s = { ...raw, name } as Service;
  if (s.env_file?.length) {
    let fromFiles: Record<string, string> = {};
    for (const ef of s.env_file) {
      if (!existsSync(ef.path)) {
        if (ef.required) throw new InvalidProjectError(`env file ${ef.path} not found: stat ${ef.path}: no such file or directory`);
        continue;
      }
      fromFiles = { ...fromFiles, ...readEnvFile(ef.path, (n) => env[n]) };
    }
    s.environment = { ...fromFiles, ...(s.environment ?? {}) };
  }
  if (s.environment) {
    // `KEY` without a value takes the variable from the environment compose runs in; unset ones are dropped
    const resolved: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(s.environment)) {
      if (v !== null) resolved[k] = v;
      else if (env[k] !== undefined) resolved[k] = env[k];
    }
    s.environment = resolved;
  }
  if (!s.network_mode && !s.networks) s.networks = { default: null };
  if (typeof s.scale === "string") s.scale = Number(s.scale);
  const deploy = s.deploy as { replicas?: unknown } | undefined;
  if (deploy && typeof deploy.replicas === "string") s.deploy = { ...deploy, replicas: Number(deploy.replicas) };
  return s;
}

function scoped<T extends { name: string }>(section: Dict | undefined, project: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, raw] of Object.entries(section ?? {})) {
    const d = { ...((raw ?? {}) as Dict) };
    // legacy `external: {name: x}`
    if (d.external && typeof d.external === "object") {
      const ext = d.external as { name?: string };
      d.external = true;
      if (ext.name) d.name = ext.name;
    }
    if (d.external === "true") d.external = true;
    d.name = typeof d.name === "string" ? d.name : d.external ? key : `${project}_${key}`;
    out[key] = d as T;
  }
  return out;
}

function applyProfiles(all: Record<string, Service>, profiles: string[], requested: string[]): { enabled: Record<string, Service>; disabled: Record<string, Service> } {
  const wanted = new Set(profiles);
  const on = new Set<string>();
  for (const [n, s] of Object.entries(all)) {
    if (!s.profiles?.length || wanted.has("*") || s.profiles.some((p) => wanted.has(p))) on.add(n);
  }
  const pull = (n: string) => {
    if (!all[n] || on.has(n)) return;
    on.add(n);
    for (const dep of Object.keys(all[n].depends_on ?? {})) pull(dep);
  };
  for (const r of requested) {
    if (all[r]) {
      on.delete(r);
      pull(r);
    }
  }
  // a dependency left out by profiles fails the services that need it
  for (const n of on) {
    for (const [dep, d] of Object.entries(all[n].depends_on ?? {})) {
      if (all[dep] && !on.has(dep) && d.required) {
        throw new InvalidProjectError(`service "${dep}" was pulled in as a dependency of service "${n}" but is not enabled by the active profiles. You may fix this by adding a common profile to "${dep}" and "${n}"`);
      }
    }
  }
  const enabled: Record<string, Service> = {};
  const disabled: Record<string, Service> = {};
  for (const [n, s] of Object.entries(all)) (on.has(n) ? enabled : disabled)[n] = s;
  return { enabled, disabled };
}
