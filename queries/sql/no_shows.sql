-- How often do candidates miss an interview without notice?
-- One row per group ($group_by: null for all, department, recruiter, job, source, week, month),
-- and a total row per period (group_key 'all'); with $previous_from, the period before has its total only.
-- Params: $date_from $date_to (on scheduled_at) $previous_from $department $recruiter $job $source $group_by $groups_only
-- ($groups_only: the groups' rows alone, no totals, for a caller that never reads them)
with interviews as (
    select status as interview_status,
        period_of(scheduled_at, $date_from, $previous_from) as period,
        group_value($group_by, department, recruiter_id, job_id, source, furthest_stage) as group_value,
        group_day($group_by, cohort_week, cohort_month) as group_day,
        group_label($group_by, recruiter_name, recruiter_id, job_title, job_id) as label
    from interview_facts
    where in_period(scheduled_at, coalesce($previous_from, $date_from), $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

levels as (
    -- each row counts in its period's total and, in the current period, in its group ($group_by)
    select *, false as total from interviews where $group_by is not null and period = 'current'
    union all
    select * replace (null as group_value, null as group_day), true as total from interviews
    where not coalesce($groups_only, false)
),

counts as (
    select
        period, total, group_value, group_day,
        any_value(label) as label,
        count(*) filter (where interview_status in ('completed', 'no_show')) as interviews_due,
        count(*) filter (where interview_status = 'no_show') as no_shows
    from levels
    group by all
),

final as (
    select period, total, if(total, 'all', group_name($group_by, group_value, group_day)) as group_key,
        if(total, null, label) as label, interviews_due, no_shows,
        share(no_shows, interviews_due) as no_show_rate
    from counts
)

select * from final order by period, total, group_key
