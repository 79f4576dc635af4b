CREATE FUNCTION diesel_manage_updated_at(_tbl regclass) RETURNS void AS $$
BEGIN
  RETURN;
END;
$$ LANGUAGE plpgsql;
