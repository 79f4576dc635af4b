-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.name := lower(NEW.name);
  RETURN NEW;
END
$$;

ALTER TABLE users ADD COLUMN nickname text
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();
DROP FUNCTION touch()
-- +goose StatementEnd
