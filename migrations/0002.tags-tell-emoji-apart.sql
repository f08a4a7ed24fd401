-- depends: 0001.initial-schema
-- utf8mb4_unicode_ci (UCA 4.0.0) gives every character beyond U+FFFF one and the same weight:
-- to it "🐉" = "🚀", so the UNIQUE key merged such tags and ?tag= matched the wrong ones.
-- utf8mb4_unicode_520_ci (MariaDB and MySQL alike) tells them apart and, like before, ignores
-- case, accents and invisible characters (the schema's de-duplication is case-insensitive too).
ALTER TABLE tags MODIFY name VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci NOT NULL;
