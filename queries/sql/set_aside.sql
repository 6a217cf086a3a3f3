-- Which rows of the latest load of each origin were set aside, and why?
-- One row per row set aside.
-- Params: none
with latest as (
    select origin, max(load_id) as load_id from loads group by origin
),

final as (
    select s.origin, s.load_id, s.file, s.line, s."column", s.reason
    from set_aside s join latest using (origin, load_id)
)

select * from final order by origin, file, line
