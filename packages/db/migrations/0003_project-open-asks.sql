ALTER TABLE "projects" ADD COLUMN "open_asks" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "projects" SET "open_asks" = (
  SELECT count(*) FROM "pendings"
  WHERE "pendings"."project_id" = "projects"."id" AND "pendings"."status" = 'open' AND "pendings"."kind" <> 'continuation'
);
