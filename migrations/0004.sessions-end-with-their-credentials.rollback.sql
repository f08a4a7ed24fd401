ALTER TABLE account_events DROP COLUMN reason;
ALTER TABLE users DROP COLUMN auth_epoch;
