"use client";

import { useSyncExternalStore } from "react";

const UTC = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

const LOCAL: Intl.DateTimeFormatOptions = {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZoneName: "short",
};

// Nothing to subscribe to: the reader's time zone does not change under a rendered page.
const noChanges = () => () => undefined;

/**
 * A moment in the reader's own time zone, named ("1 Dec 2026, 15:04 GMT+1"). The server cannot know the
 * zone, so the server's render (and a page without JavaScript) says UTC, and the browser's says local.
 */
export function LocalTime({ iso }: { iso: string }) {
  const text = useSyncExternalStore(
    noChanges,
    // Fields, not dateStyle/timeStyle: those two cannot be combined with timeZoneName.
    () => new Date(iso).toLocaleString(undefined, LOCAL),
    () => `${UTC.format(new Date(iso))} UTC`,
  );
  return <time dateTime={iso}>{text}</time>;
}
