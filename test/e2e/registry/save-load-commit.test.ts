import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { api, run, startTestDaemon, uniqueName, type TestDaemon } from "../../helpers/daemon.js";

describe("docker save/load and commit through wharf", () => {
  let d: TestDaemon;
  let dir: string;
  const docker = async (...args: string[]) => {
    const r = await run("docker", args, { env: d.env, timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`docker ${args.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const skopeo = async (...args: string[]) => {
    const r = await run("skopeo", args, { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `skopeo ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
  };
  const idOf = async (ref: string) => (await docker("image", "inspect", "-f", "{{.Id}}", ref)).trim();

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "wharf-save-"));
    d = await startTestDaemon();
  });
  after(async () => {
    await d?.stop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("save, rmi, load restores the same image ID", async () => {
    const id = await idOf("busybox");
    const tar = path.join(dir, "a.tar");
    await docker("save", "busybox", "-o", tar);
    await docker("rmi", "busybox");
    assert.match(await docker("load", "-i", tar), /Loaded image: busybox:latest/);
    assert.equal(await idOf("busybox"), id);
    assert.equal((await docker("run", "--rm", "--network", "none", "busybox", "echo", "loaded")).trim(), "loaded");
  });

  it("interoperates with skopeo's docker-archive in both directions", async () => {
    const id = await idOf("busybox");
    const tar = path.join(dir, "for-skopeo.tar");
    await docker("save", "-o", tar, "busybox:latest");
    const info = JSON.parse(await skopeo("inspect", `docker-archive:${tar}`));
    assert.equal(info.Layers.length, 1);
    assert.deepEqual(info.RepoTags, []);
    // skopeo writes a docker-archive of its own; docker load through wharf reads it.
    const name = `skopeo/${uniqueName("bb")}:1`;
    const back = path.join(dir, "from-skopeo.tar");
    await skopeo("copy", `docker-archive:${tar}`, `docker-archive:${back}:${name}`);
    assert.match(await docker("load", "-i", back), new RegExp(`Loaded image: ${name}`));
    assert.equal(await idOf(name), id);
    // And an OCI layout from skopeo's oci: transport after wharf's save, via skopeo's oci-archive.
    const oci = path.join(dir, "oci.tar");
    await skopeo("copy", `docker-archive:${tar}`, `oci-archive:${oci}:${uniqueName("t")}`);
    assert.match(await docker("load", "-i", oci), /Loaded image/);
  });

  it("commit of a container whose process is exiting succeeds (a pause that cannot happen is skipped); changes apply", async () => {
    // Start, then commit at once through the API: the commit lands while the process exits.
    for (let i = 0; i < 5; i++) {
      const c = await api(d.socket, "POST", "/containers/create", { Image: "busybox", Cmd: ["sh", "-c", "echo bye > /bye"], HostConfig: { NetworkMode: "none" } });
      assert.equal(c.status, 201, c.body);
      const id = c.json().Id as string;
      try {
        assert.equal((await api(d.socket, "POST", `/containers/${id}/start`)).status, 204);
        const changes = ["CMD [\"cat\", \"/bye\"]", "LABEL phase=exiting"].map((x) => `changes=${encodeURIComponent(x)}`).join("&");
        const r = await api(d.socket, "POST", `/commit?container=${id}&${changes}`);
        assert.equal(r.status, 201, `commit ${i}: ${r.body}`);
        const img = r.json().Id as string;
        assert.equal((await docker("image", "inspect", "-f", "{{json .Config.Cmd}} {{.Config.Labels.phase}}", img)).trim(), '["cat","/bye"] exiting');
        await docker("rmi", img);
      } finally {
        await api(d.socket, "DELETE", `/containers/${id}?force=1`);
      }
    }
  });

  it("commit makes an image with the container's file, a new layer in history, and survives save/load", async () => {
    const c = uniqueName("commit");
    const repo = `committed/${uniqueName("img")}`;
    await docker("run", "--name", c, "--network", "none", "busybox", "sh", "-c", "echo made by commit > /made-by-commit && rm /bin/vi");
    const id = (await docker("commit", "-m", "a message", "-a", "Tester <t@example.com>", "-c", "ENV COMMITTED=yes", c, `${repo}:v1`)).trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    await docker("rm", c);
    assert.equal((await docker("run", "--rm", "--network", "none", `${repo}:v1`, "cat", "/made-by-commit")).trim(), "made by commit");
    assert.equal((await docker("run", "--rm", "--network", "none", `${repo}:v1`, "sh", "-c", "test -e /bin/vi && echo present || echo gone")).trim(), "gone");
    assert.equal((await docker("run", "--rm", "--network", "none", `${repo}:v1`, "sh", "-c", "echo $COMMITTED")).trim(), "yes");
    const inspect = JSON.parse(await docker("image", "inspect", `${repo}:v1`))[0];
    assert.equal(inspect.Author, "Tester <t@example.com>");
    assert.equal(inspect.Comment, "a message");
    assert.equal(inspect.RootFS.Layers.length, 2);
    const history = (await docker("history", "--no-trunc", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Comment}}", `${repo}:v1`)).trim().split("\n");
    assert.equal(history.length, 2);
    assert.equal(history[0], `${id}|sh -c echo made by commit > /made-by-commit && rm /bin/vi|a message`);
    assert.match(history[1], /^<missing>\|/);

    // Several images in one archive; the committed layer (re-tarred from disk) keeps its diffID.
    const tar = path.join(dir, "two.tar");
    await docker("save", "-o", tar, `${repo}:v1`, "busybox");
    await docker("rmi", `${repo}:v1`);
    const loaded = await docker("load", "-i", tar);
    assert.match(loaded, new RegExp(`Loaded image: ${repo}:v1`));
    assert.match(loaded, /Loaded image: busybox:latest/);
    assert.equal(await idOf(`${repo}:v1`), id);
  });
});
