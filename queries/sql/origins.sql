-- Which data sources does the database hold now?
-- One row per origin, with its number of applications (kept in origin_counts at each load).
-- Params: none
with final as (
    select * from origin_counts
)

select * from final order by origin
