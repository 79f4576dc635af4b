CREATE TABLE "users" ("id" bigint PRIMARY KEY, "email" text NOT NULL, "name" text)
--> statement-breakpoint
CREATE TABLE "posts" ("id" bigint PRIMARY KEY, "user_id" bigint NOT NULL);
