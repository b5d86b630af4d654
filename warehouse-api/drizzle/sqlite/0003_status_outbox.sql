CREATE TABLE `status_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` integer NOT NULL,
	`order_id` text NOT NULL,
	`store_order_id` text NOT NULL,
	`status` text NOT NULL,
	`correlation_id` text NOT NULL,
	`at` integer NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`delivered_at` integer,
	FOREIGN KEY (`event_id`) REFERENCES `order_events`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `status_outbox_event_id_unique` ON `status_outbox` (`event_id`);--> statement-breakpoint
CREATE INDEX `status_outbox_state_next_attempt_idx` ON `status_outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `status_outbox_order_state_id_idx` ON `status_outbox` (`order_id`,`state`,`id`);