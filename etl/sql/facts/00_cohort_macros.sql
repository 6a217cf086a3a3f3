-- The week (from Monday) and the month a cohort date falls in, kept with each cohort for trends.
create or replace temp macro cohort_week(ts) as cast(date_trunc('week', ts) as date);
create or replace temp macro cohort_month(ts) as cast(date_trunc('month', ts) as date);
