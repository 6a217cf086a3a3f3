-- Do rejected interviewees apply again, depending on how they were told?
-- One row per notice kind (call, personal_email, automated, none).
-- Params: $date_from $date_to (on closed_at) $department $recruiter $job $source
with rejected as (
    select * from filtered_apps($department, $recruiter, $job, $source) f
    where status = 'rejected' and interviewed and notice_kind is not null
      and in_period(closed_at, $date_from, $date_to)
),

final as (
    select
        notice_kind,
        count(*) as rejections_interviewed,
        count(*) filter (where reapplied) as reapplied,
        avg(reapplied::int) as reapply_rate
    from rejected
    group by notice_kind
)

select * from final order by notice_kind
