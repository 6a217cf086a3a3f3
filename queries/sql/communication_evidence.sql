-- How was each communication's topic and channel decided (export field, keyword, timing)?
-- One row per origin, topic, channel and evidence.
-- Params: none
with final as (
    select origin, topic, channel, evidence, communications from evidence_counts
)

select * from final order by origin, communications desc
