import { useEffect, useState } from "preact/hooks";
import { get, setSession } from "./api";
import { ConfirmHost, ToastHost } from "./components/dialogs";
import { connectLive, disconnectLive, onLiveStatus, liveStatus } from "./live";
import { Compose } from "./pages/compose";
import { ContainerDetail } from "./pages/container-detail";
import { Containers } from "./pages/containers";
import { Events } from "./pages/events";
import { Images } from "./pages/images";
import { Login } from "./pages/login";
import { Networks } from "./pages/networks";
import { Swarm } from "./pages/swarm";
import { System } from "./pages/system";
import { Volumes } from "./pages/volumes";
import { href, useRoute } from "./router";
import { login, logout, session, takeTokenFromUrl, type SessionInfo } from "./session";

interface Info {
  Name?: string;
  ServerVersion?: string;
  Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean };
}

const PAGES: { key: string; label: string }[] = [
  { key: "containers", label: "Containers" },
  { key: "compose", label: "Compose" },
  { key: "images", label: "Images" },
  { key: "volumes", label: "Volumes" },
  { key: "networks", label: "Networks" },
  { key: "events", label: "Events" },
  { key: "system", label: "System" },
];

export function App() {
  const [state, setState] = useState<"loading" | "login" | "in">("loading");
  const [me, setMe] = useState<SessionInfo>();
  const [loginMessage, setLoginMessage] = useState<string>();
  const start = async () => {
    const token = takeTokenFromUrl();
    if (token) {
      const err = await login(token);
      if (err) setLoginMessage(err);
    }
    const s = await session();
    if (!s) return setState("login");
    setSession(s.csrf, () => {
      disconnectLive();
      setLoginMessage("The session ended (the daemon restarted or logged you out): log in again.");
      setState("login");
    });
    setMe(s);
    connectLive();
    setState("in");
  };
  useEffect(() => void start(), []);
  if (state === "loading") return <p class="loading">Loading…</p>;
  if (state === "login") return <Login message={loginMessage} onLogin={() => void start()} />;
  return <Shell me={me!} />;
}

function Shell({ me }: { me: SessionInfo }) {
  const route = useRoute();
  const [info, setInfo] = useState<Info>({});
  const [live, setLive] = useState(liveStatus());
  useEffect(() => onLiveStatus(setLive), []);
  useEffect(() => void get<Info>("/info").then(setInfo, () => undefined), []);
  const swarm = info.Swarm?.LocalNodeState === "active";
  const page = route[0] ?? "containers";
  const pages = swarm ? [...PAGES, { key: "swarm", label: "Swarm" }] : PAGES;
  return (
    <div class="shell">
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById("main")?.focus())}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">wharf</span>
        <span class="engine">
          {info.Name ?? ""} {info.ServerVersion ? `· ${info.ServerVersion}` : ""}
        </span>
        <span class={`live ${live}`} title="Live updates over one websocket">
          {live === "open" ? "● live" : live === "connecting" ? "○ connecting" : "○ offline"}
        </span>
        <button
          type="button"
          class="link"
          onClick={async () => {
            await logout(me.csrf);
            location.reload();
          }}
        >
          Log out
        </button>
      </header>
      <nav class="side" aria-label="Sections">
        <ul>
          {pages.map((p) => (
            <li key={p.key}>
              <a href={href(p.key)} aria-current={page === p.key ? "page" : undefined}>
                {p.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        <Page route={route} swarm={swarm} />
      </main>
      <ConfirmHost />
      <ToastHost />
    </div>
  );
}

function Page({ route, swarm }: { route: string[]; swarm: boolean }) {
  const [page, id, tab] = route;
  switch (page ?? "containers") {
    case "containers":
      return id ? <ContainerDetail key={id} id={id} tab={tab ?? "logs"} /> : <Containers />;
    case "compose":
      return <Compose />;
    case "images":
      return <Images />;
    case "volumes":
      return <Volumes />;
    case "networks":
      return <Networks />;
    case "events":
      return <Events />;
    case "system":
      return <System />;
    case "swarm":
      return <Swarm active={swarm} />;
    default:
      return <p>No such page. Go to <a href={href("containers")}>containers</a>.</p>;
  }
}
