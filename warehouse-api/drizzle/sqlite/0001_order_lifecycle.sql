CREATE TABLE `order_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_id` text NOT NULL,
	`type` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor` text NOT NULL,
	`reason` text,
	`correlation_id` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `order_events_order_id_idx` ON `order_events` (`order_id`,`id`);--> statement-breakpoint
CREATE TABLE `order_status_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
-- Edited after generation: SQLite cannot add a NOT NULL column without a default, and databases made by
-- 0000 need their counts and creation events backfilled.
ALTER TABLE `orders` ADD `updated_at` integer NOT NULL DEFAULT 0;--> statement-breakpoint
UPDATE `orders` SET `updated_at` = `created_at`;--> statement-breakpoint
INSERT INTO `order_status_counts` (`status`, `count`) SELECT `status`, count(*) FROM `orders` GROUP BY `status`;--> statement-breakpoint
INSERT INTO `order_events` (`order_id`, `type`, `from_status`, `to_status`, `actor`, `reason`, `correlation_id`, `at`)
  SELECT `id`, CASE `status` WHEN 'rejected' THEN 'rejected' ELSE 'created' END, NULL, `status`, 'store', NULL, `correlation_id`, `created_at`
  FROM `orders` ORDER BY `id`;--> statement-breakpoint
CREATE INDEX `orders_reference_idx` ON `orders` (`reference`,`id`);--> statement-breakpoint
CREATE INDEX `orders_customer_email_idx` ON `orders` (`customer_email`,`id`);--> statement-breakpoint
CREATE INDEX `orders_correlation_id_idx` ON `orders` (`correlation_id`,`id`);