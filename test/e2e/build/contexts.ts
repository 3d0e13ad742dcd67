import { promises as fs } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/** Write a build context (files relative to a fresh temp dir); returns its path. */
export async function makeContext(files: Record<string, string>): Promise<string> {
  const dir = `/tmp/wharf-build-ctx-${randomBytes(4).toString("hex")}`;
  for (const [name, content] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await fs.writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** The seed's node-style Dockerfile, adapted to busybox. */
export const NODE_STYLE = {
  Dockerfile: `FROM busybox
# Key-value pairs to search and identify images/containers
LABEL "maintainer"="anna@example.com"
LABEL "rating"="Five Stars" "class"="First Class"
USER root
ENV AP /data/app
ENV SCPATH /etc/supervisor/conf.d
RUN mkdir -p /var/log/supervisor
ADD ./supervisord/conf.d/* $SCPATH/
ADD *.js* $AP/
WORKDIR $AP
RUN ls $AP > /listing.txt
CMD ["sh", "-c", "cat /listing.txt; ls $SCPATH"]
`,
  "index.js": "console.log('hello')\n",
  "package.json": "{}\n",
  "supervisord/conf.d/node.conf": "[program:node]\n",
  "supervisord/conf.d/supervisord.conf": "[supervisord]\n",
};

export const MULTI_STAGE = {
  Dockerfile: `FROM busybox AS builder
RUN mkdir /out && echo built-by-builder > /out/result.txt && cp /bin/busybox /out/busybox
FROM scratch
COPY --from=builder /out/ /
CMD ["/busybox", "cat", "/result.txt"]
`,
};

export const ADDITIVE_TWO_RUNS = `FROM busybox
RUN dd if=/dev/zero of=/big bs=1024 count=2048
RUN rm /big
`;
export const ADDITIVE_ONE_RUN = `FROM busybox
RUN dd if=/dev/zero of=/big bs=1024 count=2048 && rm /big
`;

export const IGNORE_CTX = {
  Dockerfile: `FROM busybox
COPY . /ctx/
CMD ["sh", "-c", "cd /ctx && find . -type f | sort"]
`,
  ".dockerignore": "secret.txt\nnode_modules/\n*.log\n!keep.log\n",
  "secret.txt": "s3cr3t\n",
  "node_modules/dep/index.js": "x\n",
  "app.js": "app\n",
  "debug.log": "noise\n",
  "keep.log": "kept\n",
};
