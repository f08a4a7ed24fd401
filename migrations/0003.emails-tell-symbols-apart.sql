-- depends: 0002.tags-tell-emoji-apart
-- As for tags (0002): utf8mb4_unicode_ci gives every character beyond U+FFFF one weight, so
-- "𝐀@example.com" and "𝐁@example.com" were one address to the UNIQUE key and to login.
-- utf8mb4_unicode_520_ci tells them apart and still ignores case, accents and trailing spaces.
-- api.data.users.email_comparison_key weighs emails with the same collation.
ALTER TABLE users MODIFY email VARCHAR(254) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci NOT NULL;
