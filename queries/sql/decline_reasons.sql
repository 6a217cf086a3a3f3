-- Why do candidates decline offers?
-- One row per decline reason (declines without a reason are not listed), most frequent first.
-- Params: $date_from $date_to (on sent_at) $previous_from $department $recruiter $job $source
with declines as (
    select * from offer_facts
    where offer_status = 'declined' and decline_reason is not null
      and in_period(offer_sent_at, coalesce($previous_from, $date_from), $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select period_of(offer_sent_at, $date_from, $previous_from) as period, decline_reason,
        count(*) as declines
    from declines
    group by all
)

select * from final order by period, declines desc, decline_reason
