ALTER TABLE `orders` ADD `priority` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `orders_status_priority_id_idx` ON `orders` (`status`,`priority`,`id`);