-- When candidates withdraw, do they tell us?
-- One row per group ($group_by: null for all, department, recruiter, job, source, week, month).
-- Params: $date_from $date_to (on closed_at) $department $recruiter $job $source $group_by
with withdrawn as (
    select * from filtered_apps($department, $recruiter, $job, $source) f
    where status = 'withdrawn' and in_period(closed_at, $date_from, $date_to)
),

final as (
    select
        group_key($group_by, closed_at, department, recruiter_id, job_id, source, furthest_stage) as group_key,
        any_value(group_label($group_by, recruiter_name, recruiter_id, job_title, job_id)) as label,
        count(*) as withdrawals,
        avg(withdrawal_notice::int) as withdrawal_notice_share
    from withdrawn
    group by all
)

select * from final order by group_key
