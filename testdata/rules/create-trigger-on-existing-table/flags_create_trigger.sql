SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TRIGGER orders_audit AFTER UPDATE ON orders
  FOR EACH ROW EXECUTE FUNCTION audit_row();
