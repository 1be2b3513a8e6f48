-- search_words holds every word of every company name, so a misspelt query word can be matched
-- to real words by trigram similarity on a small table. Statement-level triggers keep it complete
-- with one INSERT per imported batch.
CREATE OR REPLACE FUNCTION collect_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Sorted, so concurrent imports take their locks on new words in the same order (no deadlock).
  INSERT INTO search_words (word)
  SELECT DISTINCT w FROM (SELECT unnest(name_words) AS w FROM changed_companies) AS words ORDER BY w
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER companies_search_words_insert AFTER INSERT ON companies
  REFERENCING NEW TABLE AS changed_companies
  FOR EACH STATEMENT EXECUTE FUNCTION collect_search_words();
--> statement-breakpoint
CREATE TRIGGER companies_search_words_update AFTER UPDATE ON companies
  REFERENCING NEW TABLE AS changed_companies
  FOR EACH STATEMENT EXECUTE FUNCTION collect_search_words();
