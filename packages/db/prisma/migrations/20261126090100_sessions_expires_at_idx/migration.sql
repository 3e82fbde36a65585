-- squawk-ignore-file require-lock-timeout, require-statement-timeout
-- Retention: finds sessions that expired more than SESSION_RETENTION_DAYS ago, oldest first. A lone statement (outside a transaction block, where CONCURRENTLY is allowed).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "sessions_expires_at_idx" ON "sessions"("expires_at");
