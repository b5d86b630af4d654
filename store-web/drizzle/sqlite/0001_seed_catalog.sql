-- Data migration: the catalog the store opened with (it used to be a constant in src/lib/catalog.ts),
-- so a fresh database sells the same five products. Later price or range changes are new migrations.
INSERT INTO `products` (`sku`, `name`, `description`, `price_cents`, `swatch`, `active`, `position`) VALUES
  ('MUG-TEAL', 'Enamel mug', 'Teal enamel, 350 ml, dishwasher safe.', 1450, '#0f766e', 1, 1),
  ('TEE-FISH', 'Fish-tag tee', 'Organic cotton, a small tagged fish on the chest.', 2400, '#1d4ed8', 1, 2),
  ('NOTE-A5', 'A5 notebook', 'Dotted pages, lies flat, 160 pages.', 950, '#b45309', 1, 3),
  ('BAG-TOTE', 'Canvas tote', 'Heavy canvas, long handles, inside pocket.', 1800, '#6d28d9', 1, 4),
  ('STK-PACK', 'Sticker pack', 'Six vinyl stickers, weatherproof.', 500, '#be123c', 1, 5);
