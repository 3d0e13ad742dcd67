import { useEffect, useState } from "preact/hooks";

// Hash routes (#/containers/ID/logs): the daemon serves one page, and a
// reload or a shared link lands on the same view.

export function currentRoute(): string[] {
  return location.hash.replace(/^#\/?/, "").split("?")[0]!.split("/").filter(Boolean).map(decodeURIComponent);
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = () => setRoute(currentRoute());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}

export function href(...parts: string[]): string {
  return "#/" + parts.map(encodeURIComponent).join("/");
}

export function navigate(...parts: string[]): void {
  location.hash = href(...parts).slice(1);
}
