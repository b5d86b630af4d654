import { useEffect, useState, useSyncExternalStore } from "react";

/** `value`, once it has stopped changing for `delayMs`: one search request per pause in typing. */
export function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => {
      setSettled(value);
    }, delayMs);
    return () => {
      clearTimeout(timer);
    };
  }, [value, delayMs]);
  return settled;
}

/**
 * The current time, ticking every `intervalMs`. Polling alone would not move the "age" column: an
 * unchanged response leaves React Query's data (and so the render) untouched.
 */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, intervalMs);
    return () => {
      clearInterval(timer);
    };
  }, [intervalMs]);
  return now;
}

/** Names the browser tab (and the history entry) after what the page shows. */
export function useTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · fishtag warehouse`;
  }, [title]);
}

/** Whether a media query matches now, following it as the window changes. */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => {
        list.removeEventListener("change", onChange);
      };
    },
    () => window.matchMedia(query).matches,
  );
}

/** The width below which the dashboard is laid out for a phone (styles.css uses the same). */
export const PHONE = "(max-width: 47.99rem)";
