-- squawk-ignore-file require-lock-timeout, require-statement-timeout
-- Keyset pagination of a flag's audit trail: (created_at, id) after a cursor, newest first. A lone statement (outside a transaction block, where CONCURRENTLY is allowed).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "flag_audits_org_id_flag_key_created_at_id_idx" ON "flag_audits"("org_id", "flag_key", "created_at", "id");
