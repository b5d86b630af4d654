DROP INDEX `orders_reference_idx`;--> statement-breakpoint
DROP INDEX `orders_correlation_id_idx`;--> statement-breakpoint
CREATE INDEX `orders_reference_lower_idx` ON `orders` (lower("reference"),`id`);--> statement-breakpoint
CREATE INDEX `order_events_correlation_id_idx` ON `order_events` (`correlation_id`,`order_id`);