-- App servers keep resolved sessions in memory for a few seconds (server/modules/auth/session-cache.ts).
-- Every change that could make such a session wrong is announced here, whoever makes it, so every
-- server forgets it at once.
CREATE FUNCTION kp_notify_sessions_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  gone text;
BEGIN
  -- A sweep of many expired sessions is announced as one "forget everything" rather than row by row.
  IF (SELECT count(*) FROM old_sessions) > 100 THEN
    PERFORM pg_notify('kp_session_changes', 'all');
  ELSE
    FOR gone IN SELECT token_hash FROM old_sessions LOOP
      PERFORM pg_notify('kp_session_changes', 'session:' || gone);
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_announce_deleted AFTER DELETE ON sessions REFERENCING OLD TABLE AS old_sessions
  FOR EACH STATEMENT EXECUTE FUNCTION kp_notify_sessions_deleted();
--> statement-breakpoint
CREATE FUNCTION kp_notify_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'users' THEN
    PERFORM pg_notify('kp_session_changes', 'user:' || OLD.id);
  ELSIF TG_TABLE_NAME = 'sessions' THEN
    PERFORM pg_notify('kp_session_changes', 'session:' || OLD.token_hash);
  ELSE
    PERFORM pg_notify('kp_session_changes', 'all');
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Only what a session carries: last_seen_at (touched once a minute) announces nothing.
CREATE TRIGGER sessions_announce_changed AFTER UPDATE OF token_hash, user_id, csrf_token, expires_at ON sessions
  FOR EACH ROW EXECUTE FUNCTION kp_notify_session_changed();
--> statement-breakpoint
CREATE TRIGGER users_announce_changed AFTER UPDATE OF id, name, email, role, early_warning, system_admin, active, organisation_id OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION kp_notify_session_changed();
--> statement-breakpoint
CREATE TRIGGER organisations_announce_changed AFTER UPDATE OF id, type OR DELETE ON organisations
  FOR EACH STATEMENT EXECUTE FUNCTION kp_notify_session_changed();
