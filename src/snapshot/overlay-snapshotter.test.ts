import { OverlaySnapshotter } from "./overlay-snapshotter.js";
import { snapshotterSuite } from "./testsuite.js";

snapshotterSuite("overlay", (root) => new OverlaySnapshotter(root));
