import type { DistributionInspect } from "../../../daemon/images/image-distribution.js";
import type { AuthConfig } from "../../../registry/client/auth.js";

export interface DistributionBackend {
  distributionInspect(name: string, auth?: AuthConfig): Promise<DistributionInspect>;
}
