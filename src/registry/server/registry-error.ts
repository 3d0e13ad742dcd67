/**
 * An error the distribution API reports as `{"errors":[{code,message,detail}]}`
 * with its HTTP status; codes and messages follow the distribution spec.
 */
export class RegistryError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly detail?: unknown, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export const errors = {
  blobUnknown: (digest: string) => new RegistryError(404, "BLOB_UNKNOWN", "blob unknown to registry", digest),
  uploadUnknown: () => new RegistryError(404, "BLOB_UPLOAD_UNKNOWN", "blob upload unknown to registry"),
  uploadInvalid: (detail: string) => new RegistryError(400, "BLOB_UPLOAD_INVALID", "blob upload invalid", detail),
  digestInvalid: (detail: string) => new RegistryError(400, "DIGEST_INVALID", "provided digest did not match uploaded content", detail),
  manifestUnknown: (ref: string, message = "manifest unknown") => new RegistryError(404, "MANIFEST_UNKNOWN", message, { Tag: ref }),
  manifestInvalid: (detail: string) => new RegistryError(400, "MANIFEST_INVALID", "manifest invalid", detail),
  manifestBlobUnknown: (digest: string) => new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", "blob unknown to registry", digest),
  nameInvalid: (name: string) => new RegistryError(400, "NAME_INVALID", "invalid repository name", name),
  nameUnknown: (name: string) => new RegistryError(404, "NAME_UNKNOWN", "repository name not known to registry", { name }),
  tagInvalid: (tag: string) => new RegistryError(400, "TAG_INVALID", "manifest tag did not match URI", tag),
  unsupported: (what: string) => new RegistryError(405, "UNSUPPORTED", "The operation is unsupported.", what),
  rangeInvalid: () => new RegistryError(416, "BLOB_UPLOAD_INVALID", "invalid content range"),
  paginationInvalid: () => new RegistryError(400, "PAGINATION_NUMBER_INVALID", "invalid number of results requested"),
  unauthorized: (challenge: string) => new RegistryError(401, "UNAUTHORIZED", "authentication required", null, { "WWW-Authenticate": challenge }),
  denied: () => new RegistryError(403, "DENIED", "requested access to the resource is denied"),
};
