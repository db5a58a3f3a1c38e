DROP VIEW post_summaries;
