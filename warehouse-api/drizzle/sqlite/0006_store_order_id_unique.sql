DROP INDEX `orders_store_order_id_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `orders_store_order_id_unique` ON `orders` (`store_order_id`);