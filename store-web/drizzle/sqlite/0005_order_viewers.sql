CREATE TABLE `order_viewers` (
	`order_number` integer NOT NULL,
	`customer_id` text NOT NULL,
	`granted_at` integer NOT NULL,
	PRIMARY KEY(`customer_id`, `order_number`),
	FOREIGN KEY (`order_number`) REFERENCES `orders`(`number`) ON UPDATE no action ON DELETE cascade
);
