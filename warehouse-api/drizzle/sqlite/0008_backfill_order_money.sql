-- Data migration: orders taken before the store sent its money breakdown were charged their lines and no
-- shipping; their VAT is the UK standard rate's share of the total (20/120), which the store charged
-- them too. The store's order number is not known for them and stays null.
UPDATE `orders` SET `subtotal_cents` = `total_cents`, `vat_cents` = CAST(ROUND(`total_cents` * 20.0 / 120) AS INTEGER);
