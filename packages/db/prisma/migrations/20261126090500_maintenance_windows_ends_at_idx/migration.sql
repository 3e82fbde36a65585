-- squawk-ignore-file require-lock-timeout, require-statement-timeout
-- The maintenance check (write block, banner): windows of an org that have not ended yet, without reading its past ones. A lone statement (outside a transaction block, where CONCURRENTLY is allowed).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "maintenance_windows_org_id_ends_at_idx" ON "maintenance_windows"("org_id", "ends_at");
