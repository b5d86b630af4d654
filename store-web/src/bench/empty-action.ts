"use server";

import { notFound } from "next/navigation";

import { env } from "../env";

/** What the bench's empty form shows: the time of the last post, so each answer differs like a real one. */
export type EmptyActionState = { at: number } | { at: null };

/**
 * A server action that does nothing: the floor under every action the store answers (the front door, the
 * proxy, Next decoding the form and rendering the page with its layout), which the checkout bench
 * (bench/checkout.ts) measures the cart and checkout actions against. Outside a bench run it does not exist.
 */
export async function emptyAction(): Promise<EmptyActionState> {
  if (!env.STORE_BENCH_ACTION) notFound();
  return Promise.resolve({ at: Date.now() });
}
