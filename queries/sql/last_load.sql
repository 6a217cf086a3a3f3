-- When was the data last loaded?
-- One row: the newest load's time (UTC) of any origin but the built-in sample; null before one.
-- Params: none
with own_loads as (
    select loaded_at from loads where origin <> 'sample'
),

final as (
    select max(loaded_at) as loaded_at from own_loads
)

select * from final
