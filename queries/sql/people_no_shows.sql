-- Which interviews do the no-show figures count, and did the candidate come?
-- One row per interview due (completed or missed) scheduled in the period, the most recent first.
-- Params: $date_from $date_to (on scheduled_at) $department $recruiter $job $source
with interviews as (
    select * from interview_facts
    where status in ('completed', 'no_show') and in_period(scheduled_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        a.application_id, coalesce(i.job_title, i.job_id) as job, i.department,
        coalesce(i.recruiter_name, i.recruiter_id, 'Unassigned') as recruiter, i.recruiter_id, i.source,
        cast(i.scheduled_at as date) as scheduled_on, i.kind as interview_kind,
        if(i.status = 'no_show', 'No-show', 'Came') as attended
    from interviews i join app_facts a using (app_key)
)

select * from final order by scheduled_on desc, application_id
