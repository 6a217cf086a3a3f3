-- When candidates withdraw, do they tell us?
-- One row per group ($group_by: null for all, department, recruiter, job, source, week, month).
-- Params: $date_from $date_to (on closed_at) $previous_from $department $recruiter $job $source $group_by
with withdrawn as (
    select * from closed_facts
    where status = 'withdrawn' and in_period(closed_at, coalesce($previous_from, $date_from), $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        period_of(closed_at, $date_from, $previous_from) as period,
        group_value($group_by, department, recruiter_id, job_id, source, furthest_stage) as group_value,
        group_day($group_by, closed_at) as group_day,
        any_value(group_label($group_by, recruiter_name, recruiter_id, job_title, job_id)) as label,
        count(*) as withdrawals,
        avg(withdrawal_notice::int) as withdrawal_notice_share
    from withdrawn
    group by all
)

select group_name($group_by, group_value, group_day) as group_key, * exclude (group_value, group_day)
from final order by period, group_key
