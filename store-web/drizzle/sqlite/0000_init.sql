CREATE TABLE `cart_items` (
	`customer_id` text NOT NULL,
	`sku` text NOT NULL,
	`quantity` integer NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `sku`),
	FOREIGN KEY (`sku`) REFERENCES `products`(`sku`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `order_lines` (
	`order_number` integer NOT NULL,
	`line_no` integer NOT NULL,
	`sku` text NOT NULL,
	`name` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price_cents` integer NOT NULL,
	PRIMARY KEY(`order_number`, `line_no`),
	FOREIGN KEY (`order_number`) REFERENCES `orders`(`number`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `order_status_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`order_number` integer NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`correlation_id` text NOT NULL,
	`warehouse_event_id` integer,
	`at` integer NOT NULL,
	FOREIGN KEY (`order_number`) REFERENCES `orders`(`number`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `order_status_history_order_idx` ON `order_status_history` (`order_number`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `order_status_history_warehouse_event_id_unique` ON `order_status_history` (`warehouse_event_id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`number` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`customer_id` text NOT NULL,
	`status` text NOT NULL,
	`customer_name` text NOT NULL,
	`customer_email` text NOT NULL,
	`shipping_line1` text NOT NULL,
	`shipping_line2` text,
	`shipping_city` text NOT NULL,
	`shipping_postal_code` text NOT NULL,
	`shipping_country` text NOT NULL,
	`reference` text NOT NULL,
	`total_cents` integer NOT NULL,
	`correlation_id` text NOT NULL,
	`warehouse_order_id` text,
	`last_warehouse_event_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_id_unique` ON `orders` (`id`);--> statement-breakpoint
CREATE INDEX `orders_customer_number_idx` ON `orders` (`customer_id`,`number`);--> statement-breakpoint
CREATE TABLE `products` (
	`sku` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`price_cents` integer NOT NULL,
	`swatch` text NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`position` integer NOT NULL
);
