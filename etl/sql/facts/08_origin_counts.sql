-- Applications per origin (the Data page).
create or replace table origin_counts as
select origin, count(*) as applications from app_facts group by origin;
