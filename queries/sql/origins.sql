-- Which data sources does the database hold now?
-- One row per origin, with its number of applications.
-- Params: none
with final as (
    select origin, count(*) as applications from app_facts group by origin
)

select * from final order by origin
