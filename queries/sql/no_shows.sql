-- How often do candidates miss an interview without notice?
-- One row per group ($group_by: null for all, department, recruiter, job, source, week, month).
-- Params: $date_from $date_to (on scheduled_at) $previous_from $department $recruiter $job $source $group_by
with interviews as (
    select *, status as interview_status from interview_facts
    where in_period(scheduled_at, coalesce($previous_from, $date_from), $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        period_of(scheduled_at, $date_from, $previous_from) as period,
        group_value($group_by, department, recruiter_id, job_id, source, furthest_stage) as group_value,
        group_day($group_by, scheduled_at) as group_day,
        any_value(group_label($group_by, recruiter_name, recruiter_id, job_title, job_id)) as label,
        count(*) filter (where interview_status in ('completed', 'no_show')) as interviews_due,
        count(*) filter (where interview_status = 'no_show') as no_shows,
        avg((interview_status = 'no_show')::int)
            filter (where interview_status in ('completed', 'no_show')) as no_show_rate
    from interviews
    group by all
)

select group_name($group_by, group_value, group_day) as group_key, * exclude (group_value, group_day)
from final order by period, group_key
