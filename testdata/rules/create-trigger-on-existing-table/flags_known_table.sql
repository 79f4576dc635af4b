-- pgsafe-test: earlier_migration.sql.in
SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION touch_row();
