-- Data migration: the catalog a fresh store sells, the same five products as SQLite's
-- drizzle/sqlite/0001_seed_catalog.sql (no later SQLite migration changes them). Later price or range
-- changes are new migrations, in both folders.
INSERT INTO "products" ("sku", "name", "description", "price_cents", "swatch", "active", "position") VALUES
  ('MUG-TEAL', 'Enamel mug', 'Teal enamel, 350 ml, dishwasher safe.', 1450, '#0f766e', true, 1),
  ('TEE-FISH', 'Fish-tag tee', 'Organic cotton, a small tagged fish on the chest.', 2400, '#1d4ed8', true, 2),
  ('NOTE-A5', 'A5 notebook', 'Dotted pages, lies flat, 160 pages.', 950, '#b45309', true, 3),
  ('BAG-TOTE', 'Canvas tote', 'Heavy canvas, long handles, inside pocket.', 1800, '#6d28d9', true, 4),
  ('STK-PACK', 'Sticker pack', 'Six vinyl stickers, weatherproof.', 500, '#be123c', true, 5);
