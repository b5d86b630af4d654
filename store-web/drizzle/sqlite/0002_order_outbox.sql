CREATE TABLE `order_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`store_order_id` text NOT NULL,
	`correlation_id` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`store_order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `order_outbox_store_order_id_unique` ON `order_outbox` (`store_order_id`);--> statement-breakpoint
CREATE INDEX `order_outbox_state_next_attempt_idx` ON `order_outbox` (`state`,`next_attempt_at`);