ALTER TABLE `staff_users` ADD `role` text DEFAULT 'staff' NOT NULL;--> statement-breakpoint
ALTER TABLE `staff_users` ADD `disabled_at` integer;