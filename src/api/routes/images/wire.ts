import { versionLessThan } from "../../version.js";
import type { HistoryItemModel, ImageDetailsModel, ImageSummaryModel } from "../../../daemon/images/types.js";

/** Engine API `ImageSummary`. Fields dropped in newer versions come back for older clients. */
export function imageSummaryWire(m: ImageSummaryModel, apiVersion: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Containers: -1,
    Created: m.created,
    Id: m.id,
    Labels: m.labels,
    ParentId: m.parentId,
    RepoDigests: m.repoDigests,
    RepoTags: m.repoTags,
    SharedSize: -1,
    Size: m.size,
  };
  if (versionLessThan(apiVersion, "1.44")) out.VirtualSize = m.size;
  return out;
}

/** Engine API `ImageInspect`. */
export function imageInspectWire(m: ImageDetailsModel, apiVersion: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Id: m.id,
    RepoTags: m.repoTags,
    RepoDigests: m.repoDigests,
    Parent: m.parent,
    Comment: m.comment,
    Created: m.created,
    DockerVersion: m.dockerVersion,
    Author: m.author,
    Config: m.config,
    Architecture: m.architecture,
    ...(m.variant ? { Variant: m.variant } : {}),
    Os: m.os,
    ...(m.osVersion ? { OsVersion: m.osVersion } : {}),
    Size: m.size,
    GraphDriver: { Data: m.graphDriver.data, Name: m.graphDriver.name },
    RootFS: { Type: m.rootFS.type, Layers: m.rootFS.layers },
    Metadata: { LastTagTime: m.lastTagTime ?? "0001-01-01T00:00:00Z" },
  };
  if (versionLessThan(apiVersion, "1.45")) {
    out.Container = "";
    out.ContainerConfig = emptyContainerConfig();
  }
  if (versionLessThan(apiVersion, "1.44")) out.VirtualSize = m.size;
  return out;
}

export function historyWire(items: HistoryItemModel[]): Record<string, unknown>[] {
  return items.map((h) => ({
    Comment: h.comment,
    Created: h.created,
    CreatedBy: h.createdBy,
    Id: h.id,
    Size: h.size,
    Tags: h.tags.length ? h.tags : null,
  }));
}

function emptyContainerConfig(): Record<string, unknown> {
  return {
    Hostname: "", Domainname: "", User: "", AttachStdin: false, AttachStdout: false, AttachStderr: false,
    Tty: false, OpenStdin: false, StdinOnce: false, Env: null, Cmd: null, Image: "", Volumes: null,
    WorkingDir: "", Entrypoint: null, OnBuild: null, Labels: null,
  };
}
