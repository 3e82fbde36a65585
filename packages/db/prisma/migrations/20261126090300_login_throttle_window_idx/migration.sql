-- squawk-ignore-file require-lock-timeout, require-statement-timeout
-- Retention: finds login_throttle rows whose window has passed, oldest first. A lone statement (outside a transaction block, where CONCURRENTLY is allowed).
CREATE INDEX CONCURRENTLY IF NOT EXISTS "login_throttle_window_started_at_idx" ON "login_throttle"("window_started_at");
