-- Change control: maintenance windows, feature flags and their audit trail.
-- Creates new tables only (no ALTER of existing tables), so it is safe to apply while the
-- previous release is serving traffic.
--
-- Global flags (org_id NULL) share one key space: the unique index treats NULLs as equal.
-- rollout_pct is a percentage, enforced by a CHECK constraint.

-- CreateEnum
CREATE TYPE "FlagAction" AS ENUM ('CREATE', 'UPDATE', 'TOGGLE', 'KILL');

-- CreateTable
CREATE TABLE "maintenance_windows" (
    "id" TEXT NOT NULL,
    "org_id" TEXT,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "message" TEXT,
    "block_writes" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "maintenance_windows_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "feature_flags" (
    "id" TEXT NOT NULL,
    "org_id" TEXT,
    "key" TEXT NOT NULL,
    "description" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "rollout_pct" INTEGER NOT NULL DEFAULT 0,
    "scopes" JSONB,
    "created_by_id" TEXT,
    "updated_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "feature_flags_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "feature_flags_rollout_pct_check" CHECK ("rollout_pct" BETWEEN 0 AND 100)
);

-- CreateTable
CREATE TABLE "flag_audits" (
    "id" TEXT NOT NULL,
    "org_id" TEXT,
    "flag_key" TEXT NOT NULL,
    "user_id" TEXT,
    "action" "FlagAction" NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flag_audits_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "maintenance_windows_org_id_starts_at_ends_at_idx" ON "maintenance_windows"("org_id", "starts_at", "ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "feature_flags_org_id_key_key" ON "feature_flags"("org_id", "key") NULLS NOT DISTINCT;

-- CreateIndex
CREATE INDEX "flag_audits_flag_key_created_at_idx" ON "flag_audits"("flag_key", "created_at");

-- CreateIndex
CREATE INDEX "flag_audits_org_id_flag_key_created_at_idx" ON "flag_audits"("org_id", "flag_key", "created_at");

-- CreateIndex
CREATE INDEX "flag_audits_user_id_idx" ON "flag_audits"("user_id");

-- AddForeignKey
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "maintenance_windows" ADD CONSTRAINT "maintenance_windows_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feature_flags" ADD CONSTRAINT "feature_flags_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feature_flags" ADD CONSTRAINT "feature_flags_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "feature_flags" ADD CONSTRAINT "feature_flags_updated_by_id_fkey" FOREIGN KEY ("updated_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flag_audits" ADD CONSTRAINT "flag_audits_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
