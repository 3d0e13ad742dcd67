import { execFile } from "node:child_process";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ApiServer } from "../../server.js";
import type { Route } from "../../router.js";
import { ImageService } from "../../../daemon/images/image-service.js";
import { makeBusyboxTar } from "../../../image/test-fixtures.js";
import type { ImageBackend } from "./backend.js";
import { imageRoutes } from "./index.js";

const run = promisify(execFile);

/** Only what the docker CLI asks before image commands. */
const pingRoutes: Route[] = [
  { method: "GET", path: "/_ping", handler: (ctx) => ctx.sendText(200, "OK") },
  { method: "HEAD", path: "/_ping", handler: (ctx) => ctx.sendText(200, "") },
];

/** The real docker CLI against the images routes, as a conformance client. */
describe("images routes with the docker CLI", () => {
  let dir: string;
  let server: ApiServer;
  let fixture: { tar: string; dir: string };
  let env: NodeJS.ProcessEnv;

  const docker = async (...args: string[]) => (await run("docker", args, { env, maxBuffer: 16 << 20 })).stdout;
  const dockerFails = async (...args: string[]): Promise<string> => {
    try {
      await run("docker", args, { env });
    } catch (err) {
      return (err as { stderr: string }).stderr;
    }
    throw new Error(`docker ${args.join(" ")} unexpectedly succeeded`);
  };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-imgapi-"));
    fixture = await makeBusyboxTar();
    const svc = new ImageService({ dataRoot: path.join(dir, "data"), isImageInUse: () => undefined });
    const backend: ImageBackend = svc; // the service satisfies the router's interface
    const sock = path.join(dir, "api.sock");
    server = new ApiServer({ hosts: [`unix://${sock}`], routes: [...pingRoutes, ...imageRoutes(backend)], serverHeader: "wharf-test" });
    await server.listen();
    await fs.mkdir(path.join(dir, "docker-config"));
    env = { ...process.env, DOCKER_HOST: `unix://${sock}`, DOCKER_CONFIG: path.join(dir, "docker-config") };
  });
  after(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(fixture.dir, { recursive: true, force: true });
  });

  it("imports, lists, inspects, tags, shows history and removes", async () => {
    const id = (await docker("import", "-c", 'CMD ["sh"]', "-m", "from test", fixture.tar, "wharf-cli/bb:1")).trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);

    const listed = await docker("images", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}");
    assert.equal(listed.trim(), `wharf-cli/bb:1 ${id.slice(7, 19)}`);

    const inspected = JSON.parse(await docker("image", "inspect", "wharf-cli/bb:1"))[0];
    assert.equal(inspected.Id, id);
    assert.deepEqual(inspected.Config.Cmd, ["sh"]);
    assert.equal(inspected.Comment, "from test");
    assert.equal(inspected.GraphDriver.Name, "overlay2");
    assert.equal(inspected.RootFS.Layers.length, 1);

    await docker("tag", "wharf-cli/bb:1", "wharf-cli/other");
    const tags = (await docker("images", "--format", "{{.Repository}}:{{.Tag}}")).trim().split("\n").sort();
    assert.deepEqual(tags, ["wharf-cli/bb:1", "wharf-cli/other:latest"]);

    const history = await docker("history", "--format", "{{.Comment}}", id.slice(7, 19));
    assert.equal(history.trim(), "from test");

    assert.match(await dockerFails("rmi", id.slice(7, 19)), /image is referenced in multiple repositories/);
    assert.equal((await docker("rmi", "wharf-cli/other")).trim(), "Untagged: wharf-cli/other:latest");
    const rmi = (await docker("rmi", "wharf-cli/bb:1")).trim().split("\n");
    assert.equal(rmi[0], "Untagged: wharf-cli/bb:1");
    assert.equal(rmi[1], `Deleted: ${id}`);
    assert.equal((await docker("images", "-q")).trim(), "");
  });

  it("reports unknown images and pulls the way docker users expect", async () => {
    assert.match(await dockerFails("image", "inspect", "nosuch"), /No such image: nosuch:latest/);
    // Tests reach no registry but their own loopback ones: a dead loopback port shows the same kind of
    // error dockerd gives offline, naming the request that failed.
    assert.match(await dockerFails("pull", "127.0.0.1:1/nosuch"), /Error response from daemon: Get "http:\/\/127\.0\.0\.1:1\/v2\/": dial tcp 127\.0\.0\.1:1: connect: connection refused/);
    assert.match(await dockerFails("import", "-c", "RUN true", fixture.tar), /run is not a valid change command/);
  });

  it("prunes dangling images", async () => {
    const id = (await docker("import", fixture.tar)).trim();
    const out = await docker("image", "prune", "-f");
    assert.match(out, new RegExp(`deleted: ${id}`));
    assert.match(out, /Total reclaimed space: [1-9]/);
  });
});
