-- Which values can each filter take?
-- One row per filter and value, with the label to show (kept in filter_values at each load).
-- Params: none
with final as (
    select * from filter_values
)

select * from final order by filter, label, value
