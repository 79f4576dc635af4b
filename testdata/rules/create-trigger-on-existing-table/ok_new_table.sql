SET lock_timeout = '2s'; SET statement_timeout = '5min';
CREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);
CREATE TRIGGER invoices_audit AFTER UPDATE ON invoices
  FOR EACH ROW EXECUTE FUNCTION audit_row();
