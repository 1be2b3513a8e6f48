-- The audit log is append-only: the database itself refuses to rewrite history.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
--> statement-breakpoint
-- Identifiers from the register never change once set (CVR, P-number, a prospect's CVR link).
CREATE OR REPLACE FUNCTION refuse_identifier_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  col text := TG_ARGV[0];
  old_value text := to_jsonb(OLD) ->> col;
  new_value text := to_jsonb(NEW) ->> col;
BEGIN
  IF old_value IS NOT NULL AND new_value IS DISTINCT FROM old_value THEN
    RAISE EXCEPTION '% cannot be changed once set', col USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER companies_cvr_immutable BEFORE UPDATE OF cvr ON companies
  FOR EACH ROW EXECUTE FUNCTION refuse_identifier_change('cvr');
--> statement-breakpoint
CREATE TRIGGER production_units_p_number_immutable BEFORE UPDATE OF p_number ON production_units
  FOR EACH ROW EXECUTE FUNCTION refuse_identifier_change('p_number');
--> statement-breakpoint
CREATE TRIGGER prospects_cvr_immutable BEFORE UPDATE OF company_cvr ON prospects
  FOR EACH ROW EXECUTE FUNCTION refuse_identifier_change('company_cvr');
