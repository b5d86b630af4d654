import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { EmptyActionForm } from "../../../bench/empty-action-form";
import { env } from "../../../env";

export const metadata: Metadata = { title: "Empty action", robots: { index: false } };

/** The checkout bench's baseline (STORE_BENCH_ACTION, src/bench/empty-action.ts): a 404 everywhere else. */
export default function EmptyActionPage() {
  if (!env.STORE_BENCH_ACTION) notFound();
  return (
    <>
      <h1>Empty action</h1>
      <EmptyActionForm />
    </>
  );
}
