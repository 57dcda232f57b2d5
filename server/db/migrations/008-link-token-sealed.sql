-- Share-link tokens sealed with DATA_DIR's key (server/meetings/link-sealer.ts), so the owner can
-- copy a link's address at any time. Authentication still goes by token_hash alone. Links made
-- before this column existed have NULL here until they are rotated.
ALTER TABLE share_links ADD COLUMN token_sealed TEXT;
