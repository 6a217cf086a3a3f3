-- Which inputs does the data hold, and what is "now"?
-- One row.
-- Params: none
with final as (
    select * from meta
)

select * from final
