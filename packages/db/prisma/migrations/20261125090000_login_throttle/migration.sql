-- Login throttling counters shared by every API instance (fixed windows).
-- key is "ip:<address>" or "account:<sha256 of the normalised email>"; rows whose window has
-- passed are reset on the next hit and swept periodically by the API.
CREATE TABLE "login_throttle" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
);
