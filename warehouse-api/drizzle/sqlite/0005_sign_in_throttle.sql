CREATE TABLE `sign_in_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`points` integer DEFAULT 0 NOT NULL,
	`expire` integer
);
--> statement-breakpoint
CREATE INDEX `sign_in_throttle_expire_idx` ON `sign_in_throttle` (`expire`);--> statement-breakpoint
DROP TABLE `sign_in_failures`;