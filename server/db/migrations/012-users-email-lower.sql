-- Sign-in looks an address up as lower(email) in both dialects (server/accounts), which the
-- NOCASE unique index cannot serve; this one can.
CREATE INDEX users_email_lower ON users (lower(email));
