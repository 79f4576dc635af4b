CREATE OR REPLACE VIEW active_users AS SELECT id, email, token FROM users;
