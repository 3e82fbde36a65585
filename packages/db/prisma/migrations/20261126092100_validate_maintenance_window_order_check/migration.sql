-- Expand, step 2 of 2: validate maintenance_windows_ends_not_before_starts on existing rows.
-- A window stored by the old race with ends_at < starts_at was never in force (an empty
-- interval): it becomes zero-length, which keeps that meaning, so the validation cannot fail.
-- VALIDATE CONSTRAINT takes only a SHARE UPDATE EXCLUSIVE lock: reads and writes go on.
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '60s';
UPDATE "maintenance_windows" SET "ends_at" = "starts_at" WHERE "ends_at" < "starts_at";
ALTER TABLE "maintenance_windows" VALIDATE CONSTRAINT "maintenance_windows_ends_not_before_starts";
