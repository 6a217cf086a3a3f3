-- How are waiting times spread, on one scale for both sides?
-- One row per measure and bucket of hours (first response, notice lag, replies both ways, offer answers).
-- Params: $date_from $date_to (on each measure's cohort date) $department $recruiter $job $source
with measures as (
    select 'first_response' as measure, first_response_hours as hours from app_facts
    where in_period(applied_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
    union all
    select 'notice_lag', notice_lag_hours from closed_facts
    where interviewed and in_period(closed_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
    union all
    select 'offer_' || case offer_status when 'declined' then 'decline' else 'accept' end,
        offer_answer_hours
    from offer_facts
    where offer_status in ('accepted', 'reneged', 'declined') and in_period(offer_sent_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
    union all
    select answered_by || '_reply', reply_hours from reply_turns
    where in_period(started_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

bucketed as (
    select measure,
        case when hours < 1 then 0 when hours < 4 then 1 when hours < 24 then 2
             when hours < 72 then 3 when hours < 168 then 4 when hours < 336 then 5
             when hours < 720 then 6 else 7 end as bucket
    from measures where hours is not null
),

final as (
    select measure, bucket,
        ['< 1 h', '1-4 h', '4-24 h', '1-3 d', '3-7 d', '1-2 wk', '2-4 wk', '> 30 d'][bucket + 1] as label,
        count(*) as n
    from bucketed
    group by all
)

select * from final order by measure, bucket
