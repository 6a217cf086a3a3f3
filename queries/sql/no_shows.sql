-- How often do candidates miss an interview without notice?
-- One row per group ($group_by: null for all, department, recruiter, job, source, week, month).
-- Params: $date_from $date_to (on scheduled_at) $department $recruiter $job $source $group_by
with interviews as (
    select *, status as interview_status from interview_facts f
    where in_period(scheduled_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source,
                          $department, $recruiter, $job, $source)
),

final as (
    select
        group_key($group_by, scheduled_at, department, recruiter_id, job_id, source, furthest_stage) as group_key,
        any_value(group_label($group_by, recruiter_name, recruiter_id, job_title, job_id)) as label,
        count(*) filter (where interview_status in ('completed', 'no_show')) as interviews_due,
        count(*) filter (where interview_status = 'no_show') as no_shows,
        avg((interview_status = 'no_show')::int)
            filter (where interview_status in ('completed', 'no_show')) as no_show_rate
    from interviews
    group by all
)

select * from final order by group_key
