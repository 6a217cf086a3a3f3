-- Over which days does each loaded source's data run?
-- One row per origin: its first and last application, and how many applications it holds.
-- Params: none
with apps as (
    select origin, applied_at from app_facts
),

final as (
    select origin, cast(min(applied_at) as date) as first_applied,
        cast(max(applied_at) as date) as last_applied, count(*) as applications
    from apps group by origin
)

select * from final order by origin
