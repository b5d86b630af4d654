-- Data migration: orders placed before the store charged shipping were charged their lines alone; their
-- VAT is the share of 20% included in that total, as lib/pricing.ts works it out.
UPDATE `orders` SET `subtotal_cents` = `total_cents`, `vat_cents` = CAST(ROUND(`total_cents` * 20.0 / 120) AS INTEGER);
