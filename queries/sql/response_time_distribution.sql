-- How are waiting times spread, on one scale for both sides?
-- One row per measure and bucket of hours (first response, notice lag, replies both ways, offer answers).
-- Params: $date_from $date_to (on each measure's cohort date) $department $recruiter $job $source
with apps as (
    select * from filtered_apps($department, $recruiter, $job, $source) f
),

measures as (
    select 'first_response' as measure, first_response_hours as hours from apps
    where in_period(applied_at, $date_from, $date_to)
    union all
    select 'notice_lag', notice_lag_hours from apps
    where interviewed and in_period(closed_at, $date_from, $date_to)
    union all
    select 'offer_accept', offer_answer_hours from apps
    where offer_status = 'accepted' and in_period(offer_sent_at, $date_from, $date_to)
    union all
    select 'offer_decline', offer_answer_hours from apps
    where offer_status = 'declined' and in_period(offer_sent_at, $date_from, $date_to)
    union all
    select answered_by || '_reply', reply_hours from reply_turns t join apps using (app_key)
    where in_period(t.started_at, $date_from, $date_to)
),

buckets as (
    select * from (values
        (0, 0, 1, '< 1 h'), (1, 1, 4, '1-4 h'), (2, 4, 24, '4-24 h'), (3, 24, 72, '1-3 d'),
        (4, 72, 168, '3-7 d'), (5, 168, 336, '1-2 wk'), (6, 336, 720, '2-4 wk'),
        (7, 720, null, '> 30 d')
    ) as b(bucket, lower_hours, upper_hours, label)
),

final as (
    select m.measure, b.bucket, b.label, count(*) as n
    from measures m join buckets b
      on m.hours >= b.lower_hours and (b.upper_hours is null or m.hours < b.upper_hours)
    group by all
)

select * from final order by measure, bucket
