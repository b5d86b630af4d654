/** The store's catalog. Prices live here, on the server: the browser only ever sends quantities. */
export type Product = {
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  swatch: string;
};

export const CATALOG: readonly Product[] = [
  { sku: "MUG-TEAL", name: "Enamel mug", description: "Teal enamel, 350 ml, dishwasher safe.", priceCents: 1450, swatch: "#0f766e" },
  { sku: "TEE-FISH", name: "Fish-tag tee", description: "Organic cotton, a small tagged fish on the chest.", priceCents: 2400, swatch: "#1d4ed8" },
  { sku: "NOTE-A5", name: "A5 notebook", description: "Dotted pages, lies flat, 160 pages.", priceCents: 950, swatch: "#b45309" },
  { sku: "BAG-TOTE", name: "Canvas tote", description: "Heavy canvas, long handles, inside pocket.", priceCents: 1800, swatch: "#6d28d9" },
  { sku: "STK-PACK", name: "Sticker pack", description: "Six vinyl stickers, weatherproof.", priceCents: 500, swatch: "#be123c" },
];

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
