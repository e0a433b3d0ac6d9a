-- The event tail (lib/events/tail.ts) LISTENs on halley_event: every statement that inserts events notifies it
-- (PostgreSQL folds the identical notifications of one transaction into one, delivered at commit), so each web
-- node reads new events at once instead of at its next poll. The poll stays and is what delivery relies on.
CREATE FUNCTION "halley_event_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('halley_event', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER "Event_notify" AFTER INSERT ON "Event" FOR EACH STATEMENT EXECUTE FUNCTION "halley_event_notify"();
