import type { RefObject } from "preact";
import { useEffect } from "preact/hooks";

/** `/` moves focus to the page's search box (unless one is typing already). */
export function useSlashToSearch(ref: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.isContentEditable) return;
      if (t.closest?.(".xterm")) return;
      e.preventDefault();
      ref.current?.focus();
    };
    window.addEventListener("keydown", on);
    return () => window.removeEventListener("keydown", on);
  }, []);
}
