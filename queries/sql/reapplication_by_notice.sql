-- Do rejected interviewees apply again, depending on how they were told?
-- One row per notice kind (call, personal_email, automated, none).
-- Params: $date_from $date_to (on closed_at) $previous_from $department $recruiter $job $source
with rejected as (
    select * from closed_facts
    where status = 'rejected' and interviewed and notice_kind is not null
      and in_period(closed_at, coalesce($previous_from, $date_from), $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        period_of(closed_at, $date_from, $previous_from) as period,
        notice_kind,
        count(*) as rejections_interviewed,
        count(*) filter (where reapplied) as reapplied,
        avg(reapplied::int) as reapply_rate
    from rejected
    group by all
)

select * from final order by period, notice_kind
