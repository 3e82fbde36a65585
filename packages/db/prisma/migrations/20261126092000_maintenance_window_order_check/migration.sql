-- Expand, step 1 of 2: a maintenance window never ends before it starts (two racing PATCHes
-- could store one; the API now updates with compare-and-set, and the database refuses it too).
-- `>=`, not `>`: cancelling a future window stores starts_at = ends_at (zero length, never in
-- force), and the previous release, which keeps serving during a deploy, does exactly that.
-- NOT VALID: new and changed rows are checked at once, without scanning the table under the
-- ACCESS EXCLUSIVE lock this ALTER takes; the next migration validates the existing rows.
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '15s';
ALTER TABLE "maintenance_windows"
  ADD CONSTRAINT "maintenance_windows_ends_not_before_starts" CHECK ("ends_at" >= "starts_at") NOT VALID;
