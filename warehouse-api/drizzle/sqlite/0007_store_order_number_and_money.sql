ALTER TABLE `orders` ADD `store_order_number` text;--> statement-breakpoint
ALTER TABLE `orders` ADD `subtotal_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `shipping_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `vat_cents` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_store_order_number_idx` ON `orders` (`store_order_number`,`id`);--> statement-breakpoint
ALTER TABLE `status_outbox` ADD `reason` text;