-- A guard for commits sent as one multi-statement script (one round trip, one implicit transaction):
-- when a condition the script relies on does not hold (the runner's lease, the project's seq), it
-- raises SQLSTATE SW001 with the condition's code as the message, and the whole script rolls back.
CREATE FUNCTION sitewright_expect(ok boolean, code text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = 'SW001', MESSAGE = code;
  END IF;
  RETURN true;
END
$$;
