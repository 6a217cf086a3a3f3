-- Why do candidates decline offers?
-- One row per decline reason (declines without a reason are not listed), most frequent first.
-- Params: $date_from $date_to (on sent_at) $department $recruiter $job $source
with declines as (
    select * from filtered_apps($department, $recruiter, $job, $source) f
    where offer_status = 'declined' and decline_reason is not null
      and in_period(offer_sent_at, $date_from, $date_to)
),

final as (
    select decline_reason, count(*) as declines
    from declines
    group by decline_reason
)

select * from final order by declines desc, decline_reason
