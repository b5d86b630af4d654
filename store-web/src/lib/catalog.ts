// The catalog itself is in the store's database (products, seeded by migration 0001_seed_catalog).

/** The most of one product a cart can hold. */
export const MAX_QUANTITY = 99;

/** Where the store ships, with the names shown to customers (ISO 3166-1 alpha-2 codes). */
export const SHIPPING_COUNTRIES = [
  { code: "GB", name: "United Kingdom" },
  { code: "IE", name: "Ireland" },
  { code: "FR", name: "France" },
  { code: "DE", name: "Germany" },
  { code: "NL", name: "Netherlands" },
  { code: "ES", name: "Spain" },
  { code: "US", name: "United States" },
  { code: "CA", name: "Canada" },
] as const;

const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: "GBP" });

export function formatCents(cents: number): string {
  return money.format(cents / 100);
}
