-- depends: 0003.emails-tell-symbols-apart
-- auth_epoch: advanced by every password change; a login checks after storing its session that
-- the epoch it read is still current (api.auth.credentials_still_valid).
-- reason: why a session_revoked event happened (user, admin, limit).
ALTER TABLE users ADD COLUMN auth_epoch INT UNSIGNED NOT NULL DEFAULT 0 AFTER password_hash;
ALTER TABLE account_events ADD COLUMN reason VARCHAR(32) NULL AFTER type;
