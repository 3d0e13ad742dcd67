// The Engine API shapes the pages read (only the fields they use).

export interface Port {
  IP?: string;
  PrivatePort: number;
  PublicPort?: number;
  Type: string;
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID?: string;
  Command?: string;
  Created: number;
  State: string;
  Status: string;
  Ports?: Port[];
  Labels?: Record<string, string>;
  Mounts?: { Type: string; Name?: string; Source?: string; Destination: string }[];
  NetworkSettings?: { Networks?: Record<string, { IPAddress?: string; NetworkID?: string }> };
}

export interface ImageSummary {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created: number;
  Size: number;
  Containers?: number;
  Labels?: Record<string, string> | null;
}
