-- What the original ChefCloud clients need (expand only; the previous release ignores all of it):
--  * users.job_role: nullable, so existing rows and the previous release's inserts stay valid;
--    the original web backoffice picks each user's workspace from it.
--  * employee_profiles: a new table of in-store sign-in credentials (POS PIN as a bcrypt hash,
--    swipe badge as a keyed HMAC-SHA256), employee codes unique per org. Its indexes are built
--    on the new, empty table, so no CONCURRENTLY is needed.
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '60s';

CREATE TYPE "JobRole" AS ENUM ('OWNER', 'MANAGER', 'ACCOUNTANT', 'PROCUREMENT', 'STOCK_MANAGER', 'SUPERVISOR', 'CASHIER', 'CHEF', 'WAITER', 'BARTENDER', 'EVENT_MANAGER');

ALTER TABLE "users" ADD COLUMN "job_role" "JobRole";

CREATE TABLE "employee_profiles" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "org_id" TEXT NOT NULL,
    "employee_code" TEXT,
    "pin_hash" TEXT,
    "badge_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "employee_profiles_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "employee_profiles_user_id_key" ON "employee_profiles"("user_id");

CREATE UNIQUE INDEX "employee_profiles_badge_hash_key" ON "employee_profiles"("badge_hash");

CREATE UNIQUE INDEX "employee_profiles_org_id_employee_code_key" ON "employee_profiles"("org_id", "employee_code");

ALTER TABLE "employee_profiles" ADD CONSTRAINT "employee_profiles_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "employee_profiles" ADD CONSTRAINT "employee_profiles_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
