-- UNLOGGED (edited by hand; drizzle-kit has no word for it): each row lives a minute, no WAL is worth it.
CREATE UNLOGGED TABLE "service_token_uses" (
	"jti" text PRIMARY KEY NOT NULL,
	"forget_after" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "service_token_uses_forget_after_idx" ON "service_token_uses" USING btree ("forget_after");